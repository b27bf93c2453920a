import CrisisCore

/// Delivers pages over one channel. Implementations say whether a failure is worth a retry;
/// the retry policy, the outbox and the journal are not theirs to know about.
public protocol Notifier: Sendable {
    func deliver(_ message: PageMessage) async -> DeliveryOutcome

    /// How a storm of pages to one person is held back on this channel (`RecipientRateLimit`).
    var storm: StormHandling { get }
}

/// What a per-recipient rate limit does on a channel.
public enum StormHandling: Sendable {
    /// Not limited: a receiver that is a system, not a phone (a webhook), or the console.
    case unlimited
    /// Spaced by the limit, one page per message: a call reads out one crisis.
    case spaced
    /// Spaced by the limit, and pages held meanwhile go as one message that lists them.
    case combined
}

extension Notifier {
    public var storm: StormHandling { .combined }
}
