import CSystemd
import Foundation
import Logging

/// Logs to journald through its native protocol (`sd_journal_sendv`): each entry carries its
/// priority and its metadata as fields of their own (`CRISIS_REF`, `MESSAGE_ID`, …; see
/// `JournalFields`), so ops filter with `journalctl MESSAGE_ID=… CRISIS_REF=…` and `journalctl -x`
/// explains an event from the catalog.
///
/// An entry journald does not take (its socket gone) is written to standard error instead, as
/// `JournalStreamLogHandler` would: no line is lost.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let identifier: String
    private let fallback: JournalStreamLogHandler

    /// - Parameter identifier: `SYSLOG_IDENTIFIER`, what `journalctl -t` and the unit's
    ///   `SyslogIdentifier=` name.
    public init(
        label: String, identifier: String = "crisisd",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.identifier = identifier
        fallback = JournalStreamLogHandler(label: label, environment: environment)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let fields = JournalFields.entry(
            level: event.level, message: event.message.description, metadata: all, identifier: identifier)
        if Self.send(fields) != 0 {
            fallback.write(level: event.level, message: event.message.description, metadata: all)
        }
    }

    /// Sends one entry; 0, or the negative errno `sd_journal_sendv` returned.
    @discardableResult
    public static func send(_ fields: [String]) -> Int32 {
        // sd_journal_sendv copes with a newline in a value (it sends such a field in binary form).
        let buffers = fields.map { field -> UnsafeMutableBufferPointer<UInt8> in
            let bytes = Array(field.utf8)
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            _ = buffer.initialize(from: bytes)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var vectors = zip(buffers, fields).map { buffer, field in
            iovec(iov_base: UnsafeMutableRawPointer(buffer.baseAddress), iov_len: field.utf8.count)
        }
        return sd_journal_sendv(&vectors, Int32(vectors.count))
    }
}
