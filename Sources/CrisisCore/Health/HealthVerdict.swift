import Foundation

/// Whether crisisd is fit to serve, decided from what it observed of itself: the one place that
/// turns those facts into `/healthz`, the systemd watchdog, the heartbeat and `STATUS=`.
///
/// Two levels: a `problem` makes crisisd unhealthy (`/healthz` 503, no heartbeat); a problem the
/// watchdog is for (the engine stalled, the store silent) also stops `WATCHDOG=1`, so systemd
/// restarts it. A failing commit does not: a restart cannot free a full disk, and the daemon that
/// keeps running still answers reads and pages from what it has. A `warning` leaves it healthy.
public struct HealthVerdict: Sendable, Equatable {
    public enum Check: String, Codable, Sendable {
        /// The escalation engine's loop: it runs the escalation steps and the clocks.
        case engine
        /// Whether the store answers a read.
        case store
        /// Whether writes commit (a full disk fails them while reads still work).
        case commits
        /// Whether the last config reload was applied.
        case reload
    }

    public struct Problem: Codable, Sendable, Equatable {
        public var check: Check
        public var message: String

        public init(check: Check, message: String) {
            self.check = check
            self.message = message
        }
    }

    /// What the daemon observed, at the instant of the verdict.
    public struct Facts: Sendable, Equatable {
        /// How long the engine's loop has made no progress; nil while its first pass has not ended.
        public var engineSilentFor: TimeInterval?
        /// Why the store did not answer its last ping; nil when it did.
        public var storeUnanswered: String?
        /// The last write that failed, when no write has committed since.
        public var commitFailedAt: Date?
        public var commitFailure: String?
        /// When the last reload was refused, if the last one was.
        public var reloadFailedAt: Date?

        public init(
            engineSilentFor: TimeInterval?, storeUnanswered: String? = nil, commitFailedAt: Date? = nil,
            commitFailure: String? = nil, reloadFailedAt: Date? = nil
        ) {
            self.engineSilentFor = engineSilentFor
            self.storeUnanswered = storeUnanswered
            self.commitFailedAt = commitFailedAt
            self.commitFailure = commitFailure
            self.reloadFailedAt = reloadFailedAt
        }
    }

    public var problems: [Problem]
    public var warnings: [Problem]

    /// - Parameters:
    ///   - stallAfter: how long the engine's loop may make no progress; it is woken every second.
    public init(_ facts: Facts, now: Date, stallAfter: TimeInterval) {
        problems = []
        warnings = []
        if let silent = facts.engineSilentFor {
            if silent > stallAfter {
                problems.append(
                    Problem(
                        check: .engine,
                        message: "the escalation engine has made no progress for \(Int(silent))s "
                            + "(allowed \(Int(stallAfter))s): escalations and clocks are not running"))
            }
        } else {
            problems.append(Problem(check: .engine, message: "the escalation engine has not finished its first pass"))
        }
        if let reason = facts.storeUnanswered {
            problems.append(Problem(check: .store, message: "the database does not answer: \(reason)"))
        }
        if let failedAt = facts.commitFailedAt {
            problems.append(
                Problem(
                    check: .commits,
                    message: "the database cannot commit: the last write failed \(Self.ago(failedAt, now: now)) "
                        + "(\(facts.commitFailure ?? "unknown error")) and none has committed since"))
        }
        if let failedAt = facts.reloadFailedAt {
            warnings.append(
                Problem(
                    check: .reload,
                    message: "the last config reload was refused \(Self.ago(failedAt, now: now)): "
                        + "the config before it stays in force (crisisctl status says why)"))
        }
    }

    /// No problem: `/healthz` answers 200 and the heartbeat pings.
    public var isHealthy: Bool { problems.isEmpty }

    /// No problem that a restart is for: `WATCHDOG=1` goes on.
    public var keepsWatchdog: Bool { !problems.contains { $0.check == .engine || $0.check == .store } }

    /// The problems on one line, for the log and `STATUS=`.
    public var summary: String { problems.map(\.message).joined(separator: "; ") }

    static func ago(_ instant: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(instant)))
        return seconds < 120 ? "\(seconds)s ago" : "\(seconds / 60)m ago"
    }
}
