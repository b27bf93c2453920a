/// Holds back whoever walks crisis references: counts each key's misses (lookups of a reference
/// that is unknown or not theirs) over a sliding window, and once a key has `limit` misses in
/// the window, refuses its lookups until the oldest of those misses is `window` old.
///
/// Keys are what the caller counts by, for example `requester:albertslund` and
/// `address:192.0.2.7`: a lookup is refused when any of its keys is. Pure: every call takes
/// `now`, so tests step time by hand.
public struct MissLimiter<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public enum Decision: Equatable, Sendable {
        case allowed
        /// - Parameters:
        ///   - retryAfter: how long until every refused key may look up again.
        ///   - newlyLimited: the keys refused for the first time since they were last quiet for a
        ///     whole window, so that a refusal is reported once, not on every request.
        case refused(retryAfter: Duration, newlyLimited: [String])
    }

    public let limit: Int
    public let window: Duration
    /// Each key's misses in the window, oldest first; at most `limit` are kept.
    private var misses: [String: [Instant]] = [:]
    private var reported: Set<String> = []
    private var lastSweep: Instant?

    public init(limit: Int = 20, window: Duration = .seconds(60)) {
        precondition(limit > 0 && window > .zero, "a miss limit needs a positive limit and window")
        self.limit = limit
        self.window = window
    }

    /// How many keys have misses in memory: those with a miss in the last window or so.
    public var trackedKeys: Int { misses.count }

    /// Whether a lookup counted by `keys` may go ahead at `now`.
    public mutating func admit(_ keys: [String], at now: Instant) -> Decision {
        sweepIfDue(at: now)
        var longest: Duration?
        var newlyLimited: [String] = []
        for key in keys {
            prune(key, at: now)
            guard let entries = misses[key], entries.count >= limit else { continue }
            let wait = now.duration(to: entries[entries.count - limit].advanced(by: window))
            longest = max(longest ?? wait, wait)
            if reported.insert(key).inserted { newlyLimited.append(key) }
        }
        guard let longest else { return .allowed }
        return .refused(retryAfter: longest, newlyLimited: newlyLimited)
    }

    /// Counts a miss against each of `keys` at `now`.
    public mutating func recordMiss(_ keys: [String], at now: Instant) {
        sweepIfDue(at: now)
        for key in keys {
            prune(key, at: now)
            var entries = misses[key] ?? []
            entries.append(now)
            if entries.count > limit { entries.removeFirst(entries.count - limit) }
            misses[key] = entries
        }
    }

    /// Drops a key's misses older than the window; a key left with none is forgotten, its
    /// refusal report too.
    private mutating func prune(_ key: String, at now: Instant) {
        guard var entries = misses[key] else { return }
        entries.removeAll { $0.advanced(by: window) <= now }
        if entries.isEmpty {
            misses[key] = nil
            reported.remove(key)
        } else {
            misses[key] = entries
        }
    }

    /// Once a window, forgets the keys gone quiet, so that memory follows recent traffic only.
    private mutating func sweepIfDue(at now: Instant) {
        if let lastSweep, lastSweep.advanced(by: window) > now { return }
        lastSweep = now
        for key in Array(misses.keys) { prune(key, at: now) }
    }
}
