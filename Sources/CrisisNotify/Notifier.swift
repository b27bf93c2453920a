import CrisisCore

/// Delivers pages over one channel. Implementations say whether a failure is worth a retry;
/// the retry policy, the outbox and the journal are not theirs to know about.
public protocol Notifier: Sendable {
    func deliver(_ message: PageMessage) async -> DeliveryOutcome

    /// Whether one message may carry several pages (`PageMessage.also`). A call reads out one
    /// crisis, so calls are spaced by the rate limit but never combined.
    var combinesPages: Bool { get }
}

extension Notifier {
    public var combinesPages: Bool { true }
}
