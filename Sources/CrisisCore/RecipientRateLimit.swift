import Foundation

/// Keeps a storm of crises from flooding one phone: each recipient (a person on a channel) may
/// be sent `burst` messages at once, and then one more every `interval`. While a recipient is
/// held, its pages wait in the outbox; when it may be sent to again, everything waiting for it
/// goes as one message that lists the crises.
///
/// A token bucket per recipient. Pure: every call is handed `now`.
public struct RecipientRateLimit: Sendable {
    public struct Policy: Sendable, Equatable {
        /// Messages that may go at once to a recipient who has had none for a while.
        public var burst: Int
        /// How often one more may go once the burst is spent; 0 for no limit.
        public var interval: TimeInterval

        public init(burst: Int = 3, interval: TimeInterval = 20) {
            self.burst = burst
            self.interval = interval
        }

        public static let unlimited = Policy(burst: 1, interval: 0)
    }

    public var policy: Policy
    /// Each recipient's tokens as of `at`; recipients with a full bucket are forgotten at the next `take`.
    private var buckets: [PageRecipient: (tokens: Double, at: Date)] = [:]

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Whether a message may go to `recipient` at `now`; if so, it is counted.
    public mutating func take(_ recipient: PageRecipient, at now: Date) -> Bool {
        guard policy.interval > 0 else { return true }
        // Recipients quiet long enough to have a full bucket again need no memory.
        buckets = buckets.filter { key, _ in self.tokens(key, at: now) < Double(policy.burst) }
        let left = tokens(recipient, at: now)
        guard left >= 1 else { return false }
        buckets[recipient] = (left - 1, now)
        return true
    }

    /// The recipients that may not be sent to at `now`, each with when it may be again.
    public func held(at now: Date) -> [PageRecipient: Date] {
        guard policy.interval > 0 else { return [:] }
        var held: [PageRecipient: Date] = [:]
        for recipient in buckets.keys {
            let tokens = self.tokens(recipient, at: now)
            if tokens < 1 { held[recipient] = now + (1 - tokens) * policy.interval }
        }
        return held
    }

    private func tokens(_ recipient: PageRecipient, at now: Date) -> Double {
        guard let bucket = buckets[recipient] else { return Double(policy.burst) }
        let refilled = max(0, now.timeIntervalSince(bucket.at)) / policy.interval
        return min(Double(policy.burst), bucket.tokens + refilled)
    }
}
