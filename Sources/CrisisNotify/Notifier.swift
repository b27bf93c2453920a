import CrisisCore

/// Delivers pages over one channel. Implementations say whether a failure is worth a retry;
/// the retry policy, the outbox and the journal are not theirs to know about.
public protocol Notifier: Sendable {
    func deliver(_ message: PageMessage) async -> DeliveryOutcome
}
