import Logging

/// Keeps what the in-process app logs, as "level message key=value …" lines, so that tests can
/// assert on it as they do on a real daemon's output.
struct RecordingLogHandler: LogHandler {
    let lines: Locked<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let fields = self.metadata.merging(metadata ?? [:]) { _, new in new }
            .sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        lines.withLock { $0.append("\(level) \(message)\(fields)") }
    }
}
