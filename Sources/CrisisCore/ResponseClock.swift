import Foundation

/// One running or ended clock of a crisis, with its absolute deadline.
public struct ResponseClock: Codable, Sendable, Equatable {
    public var kind: ClockKind
    public var startedAt: Date
    public var dueAt: Date
    /// When the warning goes out (`warn_before` ahead of the deadline); nil for clocks with no warning.
    public var warnAt: Date?
    public var warnedAt: Date?
    public var outcome: ClockOutcome?
    /// For `met`, the milestone's time; for `breached`, the deadline; for `waived`, when it was waived.
    public var endedAt: Date?
    /// Who met or waived it.
    public var endedBy: String?
    /// Why it was waived.
    public var reason: String?

    public init(
        kind: ClockKind, startedAt: Date, dueAt: Date, warnAt: Date? = nil, warnedAt: Date? = nil,
        outcome: ClockOutcome? = nil, endedAt: Date? = nil, endedBy: String? = nil, reason: String? = nil
    ) {
        self.kind = kind
        self.startedAt = startedAt
        self.dueAt = dueAt
        self.warnAt = warnAt
        self.warnedAt = warnedAt
        self.outcome = outcome
        self.endedAt = endedAt
        self.endedBy = endedBy
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case kind, outcome, reason
        case startedAt = "started_at"
        case dueAt = "due_at"
        case warnAt = "warn_at"
        case warnedAt = "warned_at"
        case endedAt = "ended_at"
        case endedBy = "ended_by"
    }

    public var isRunning: Bool { outcome == nil }
}
