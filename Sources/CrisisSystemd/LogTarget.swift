import Foundation
import Logging

/// Where the daemon logs: journald's native protocol, or standard error (with `<N>` priority
/// prefixes under systemd, `JournalStreamLogHandler`).
public enum LogTarget: String, Sendable {
    case journal
    case stderr

    public static let journalSocket = "/run/systemd/journal/socket"

    /// `LOG_TARGET=journal` or `LOG_TARGET=stderr` decides; otherwise (`auto`, unset) the journal
    /// when crisisd runs under journald: systemd set `JOURNAL_STREAM` (its stderr goes to the
    /// journal), or journald's socket is there and no one watches standard error in a terminal.
    /// A foreground run in a terminal (`make run`) logs there, where its operator looks.
    public static func choose(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        journalSocketExists: Bool = FileManager.default.fileExists(atPath: journalSocket),
        stderrIsTerminal: Bool = isatty(STDERR_FILENO) == 1
    ) -> LogTarget {
        if let chosen = environment["LOG_TARGET"].flatMap(LogTarget.init(rawValue:)) { return chosen }
        let stream = environment["JOURNAL_STREAM"] ?? ""
        return !stream.isEmpty || (journalSocketExists && !stderrIsTerminal) ? .journal : .stderr
    }

    /// A handler for this target.
    public func handler(
        label: String, level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> any LogHandler {
        switch self {
        case .journal:
            var handler = JournalLogHandler(label: label, environment: environment)
            handler.logLevel = level
            return handler
        case .stderr:
            var handler = JournalStreamLogHandler(label: label, environment: environment)
            handler.logLevel = level
            return handler
        }
    }
}
