import Foundation
import Logging
import Synchronization

/// Writes log lines to standard error, and under systemd (`JOURNAL_STREAM` set) starts each with
/// the syslog priority in angle brackets, so `journalctl -p warning -u crisisd` finds crisisd's
/// warnings. Outside systemd it writes a timestamp instead. Under journald crisisd logs through
/// `JournalLogHandler` instead (`LogTarget`), which falls back on this for an entry journald refuses.
public struct JournalStreamLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let underJournal: Bool

    public init(label: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        underJournal = environment["JOURNAL_STREAM"] != nil
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        write(level: event.level, message: event.message.description, metadata: all)
    }

    /// Writes one entry's line, its metadata already merged.
    func write(level: Logger.Level, message: String, metadata: Logger.Metadata) {
        let line = Self.format(
            level: level, message: message, metadata: metadata, label: label, underJournal: underJournal, now: Date())
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// syslog priorities (sd-daemon.h): 2 critical, 3 error, 4 warning, 5 notice, 6 info, 7 debug.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    /// The line of one entry: under journald its priority, else the time, level and label first.
    public static func format(
        level: Logger.Level, message: String, metadata: Logger.Metadata, label: String, underJournal: Bool, now: Date
    ) -> String {
        let text = line(message: message, metadata: metadata)
        if underJournal {
            // journald adds the time and the identifier.
            return "<\(priority(level))>\(text)"
        }
        return "\(timestamp(now)) \(level) \(label): \(text)"
    }

    /// The last second's text: formatting a date goes through ICU on Linux, and a busy daemon
    /// logs many lines in each second.
    private static let lastSecond = Mutex<(second: Double, text: String)?>(nil)

    /// `now` as ISO 8601 in whole seconds (`2026-11-18T11:06:40Z`).
    static func timestamp(_ now: Date) -> String {
        let second = now.timeIntervalSince1970.rounded(.down)
        if let last = lastSecond.withLock({ $0 }), last.second == second { return last.text }
        let text = now.formatted(.iso8601)
        lastSecond.withLock { $0 = (second, text) }
        return text
    }

    /// The message and its metadata as `key=value` pairs, sorted, on one line: a multi-line error
    /// must not split an entry. The `message_id` is left out: a 32-digit id helps no one reading.
    public static func line(message: String, metadata: Logger.Metadata) -> String {
        let fields = metadata.keys.filter { $0 != LogMessageID.metadataKey }.sorted()
            .map { key in "\(key)=\(quoted("\(metadata[key]!)"))" }.joined(separator: " ")
        let text = fields.isEmpty ? message : "\(message) \(fields)"
        // Asked of the bytes: Foundation's `contains` bridges every line to NSString to say no.
        return text.utf8.contains(UInt8(ascii: "\n")) ? text.replacingOccurrences(of: "\n", with: " ") : text
    }

    /// `value`, or `"a value"` with inner quotes and backslashes escaped, so lines stay parseable.
    public static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
