import Foundation

/// When to try a failed page again: exponential backoff with a cap, and a last attempt.
public struct RetryPolicy: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case done
        case retry(at: Date)
        case giveUp(reason: String)
    }

    public var maxAttempts: Int
    public var initialBackoff: TimeInterval
    public var maxBackoff: TimeInterval

    public init(maxAttempts: Int = 10, initialBackoff: TimeInterval = 2, maxBackoff: TimeInterval = 300) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait after the `attempt`-th failure (1-based): initial, 2×, 4×, … up to the cap.
    public func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        return min(maxBackoff, initialBackoff * pow(2, min(exponent, 30)))
    }

    /// What to record before an attempt goes out, given the attempts already made.
    public enum Claim: Sendable, Equatable {
        /// Send attempt number `attempt`; should no outcome ever be recorded (the process died
        /// mid-request), try again at `retryAt`.
        case send(attempt: Int, retryAt: Date)
        /// Every attempt is spent and none was recorded as delivered: do not send again.
        case giveUp(reason: String)
    }

    /// Claims the next attempt. An attempt counts from the moment it is claimed, so attempts cut
    /// short by a crash still count towards `maxAttempts`.
    public func claim(attemptsMade: Int, now: Date) -> Claim {
        guard attemptsMade < maxAttempts else {
            return .giveUp(reason: "gave up after \(attemptsMade) attempts with no delivery recorded")
        }
        let attempt = attemptsMade + 1
        return .send(attempt: attempt, retryAt: now + backoff(afterAttempt: attempt))
    }

    /// What follows an attempt's outcome. A retry waits the backoff spread by `jitter` (0 to 1,
    /// from the caller's random source: ±20 %, so pages failing together do not all come back
    /// at once; 0.5 is the plain backoff), and at least the receiver's `Retry-After`, itself at
    /// most `maxBackoff`: a page is never parked longer than the policy allows.
    public func decide(attempt: Int, outcome: DeliveryOutcome, now: Date, jitter: Double = 0.5) -> Decision {
        switch outcome {
        case .delivered:
            return .done
        case .failed(retryable: false, let reason, _):
            return .giveUp(reason: "not retryable: \(reason)")
        case .failed(retryable: true, let reason, let retryAfter):
            guard attempt < maxAttempts else { return .giveUp(reason: "gave up after \(attempt) attempts: \(reason)") }
            let spread = backoff(afterAttempt: attempt) * (0.8 + 0.4 * min(max(jitter, 0), 1))
            return .retry(at: now + max(spread, min(retryAfter ?? 0, maxBackoff)))
        }
    }
}
