import Foundation

/// One running or ended clock of a crisis, with its absolute deadline.
///
/// It carries its rule's label and what stops it, as they were when it started, so a reload that
/// changes or removes the rule leaves a running clock as it was.
public struct ResponseClock: Codable, Sendable, Equatable {
    /// The rule's name.
    public var kind: ClockKind
    public var label: String
    public var stop: ClockRule.Stop
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
        kind: ClockKind, label: String, stop: ClockRule.Stop, startedAt: Date, dueAt: Date, warnAt: Date? = nil,
        warnedAt: Date? = nil,
        outcome: ClockOutcome? = nil, endedAt: Date? = nil, endedBy: String? = nil, reason: String? = nil
    ) {
        self.kind = kind
        self.label = label
        self.stop = stop
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
        case kind, label, outcome, reason
        case stop = "stops"
        case startedAt = "started_at"
        case dueAt = "due_at"
        case warnAt = "warn_at"
        case warnedAt = "warned_at"
        case endedAt = "ended_at"
        case endedBy = "ended_by"
    }

    public var isRunning: Bool { outcome == nil }
}
