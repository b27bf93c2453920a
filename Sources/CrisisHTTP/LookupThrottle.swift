import CrisisCore
import Synchronization

/// The `MissLimiter` of one listener, on the monotonic clock: requester lookups of references
/// that are unknown or not theirs, by requester and by client address.
public final class LookupThrottle: Sendable {
    private let limiter: Mutex<MissLimiter<ContinuousClock.Instant>>
    private let clock = ContinuousClock()

    /// - Parameters: at most `limit` misses per key in any `window`; 20 a minute by default.
    public init(limit: Int = 20, window: Duration = .seconds(60)) {
        limiter = Mutex(MissLimiter(limit: limit, window: window))
    }

    func admit(_ keys: [String]) -> MissLimiter<ContinuousClock.Instant>.Decision {
        let now = clock.now
        return limiter.withLock { $0.admit(keys, at: now) }
    }

    func recordMiss(_ keys: [String]) {
        let now = clock.now
        limiter.withLock { $0.recordMiss(keys, at: now) }
    }
}
