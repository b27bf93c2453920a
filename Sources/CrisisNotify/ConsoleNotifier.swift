import CrisisCore
import Foundation
import Logging

/// Shows a page on the daemon's standard output and in its log: for drills, demos and as a
/// last-resort channel that cannot fail.
public struct ConsoleNotifier: Notifier {
    private let timeZone: TimeZone
    private let logger: Logger

    public init(timeZone: TimeZone, logger: Logger) {
        self.timeZone = timeZone
        self.logger = logger
    }

    /// The console is for local runs: never held.
    public var storm: StormHandling { .unlimited }

    public func deliver(_ message: PageMessage) async -> DeliveryOutcome {
        let banner = "──── page for \(message.recipient) (step \(message.step), attempt \(message.attempt)) ────"
        let text = "\(banner)\n\(message.text(in: timeZone))\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        logger.notice(
            "page shown on console",
            metadata: [
                "crisis_ref": "\(message.reference)", "recipient": "\(message.recipient)",
                "category": "\(message.category.rawValue)",
            ])
        return .delivered(detail: "shown on console")
    }
}
