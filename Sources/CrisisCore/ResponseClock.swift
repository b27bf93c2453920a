import Foundation

/// One running or ended clock of a crisis, with its absolute deadline.
public struct ResponseClock: Codable, Sendable, Equatable {
    public var kind: ClockKind
    public var startedAt: Date
    public var dueAt: Date
    public var outcome: ClockOutcome?
    public var endedAt: Date?

    public init(kind: ClockKind, startedAt: Date, dueAt: Date, outcome: ClockOutcome? = nil, endedAt: Date? = nil) {
        self.kind = kind
        self.startedAt = startedAt
        self.dueAt = dueAt
        self.outcome = outcome
        self.endedAt = endedAt
    }

    enum CodingKeys: String, CodingKey {
        case kind, outcome
        case startedAt = "started_at"
        case dueAt = "due_at"
        case endedAt = "ended_at"
    }

    public var isRunning: Bool { outcome == nil }
}
