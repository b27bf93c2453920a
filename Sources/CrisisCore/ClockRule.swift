import Foundation

/// One response clock as a rule: what starts it, what stops it, its deadline, and who hears when
/// it is about to be, or has been, missed. The contract's clocks are rules in the defaults
/// (`ClockPolicy`); the code that runs clocks knows none of them by name.
public struct ClockRule: Sendable, Equatable {
    /// What starts a clock: the crisis being received (first contact), or a milestone.
    public enum Start: Sendable, Equatable, Hashable {
        case intake
        case milestone(Milestone.Kind)
    }

    /// What stops a clock in time (it is met), or late (it is breached at its deadline).
    public enum Stop: Sendable, Equatable, Hashable {
        case acknowledgement
        case milestone(Milestone.Kind)
    }

    /// Who is paged with a clock's warning and its breach.
    public enum Audience: String, Sendable, CaseIterable, Hashable {
        /// The psychologist who acknowledged; before an acknowledgement, everyone paged.
        case responder
        /// The `[escalation] breach` targets.
        case breach
    }

    /// The deadline, counted from the start. Elapsed time today; working days come with the
    /// non-acute track.
    public enum Deadline: Sendable, Equatable, CustomStringConvertible {
        case elapsed(TimeSpan)

        public var description: String {
            switch self {
            case .elapsed(let span): span.description
            }
        }
    }

    public var name: ClockKind
    /// What people read: "the on site deadline is near".
    public var label: String
    public var start: Start
    public var stop: Stop
    public var deadline: Deadline
    /// How long before the deadline the audience is warned; nil for no warning.
    public var warnBefore: TimeSpan?
    /// Who hears the warning and the breach; empty for a clock whose misses are some other
    /// rule's business (an unacknowledged page escalates).
    public var audience: Set<Audience>
    /// Whether the clock runs for crises about a group as well as for individuals.
    public var appliesToGroups: Bool
    /// The requester roles whose crises it runs for; nil for every crisis.
    public var requesterRoles: Set<RequesterRole>?
    /// Whether the clock may be waived (with a reason), and by whom: nil when it may not; an
    /// empty list when anyone recording milestones may; else the people with one of these roles.
    public var waivableBy: [String]?

    public init(
        name: ClockKind, label: String, start: Start = .intake, stop: Stop, deadline: Deadline,
        warnBefore: TimeSpan? = nil, audience: Set<Audience> = [.responder, .breach], appliesToGroups: Bool = true,
        requesterRoles: Set<RequesterRole>? = nil, waivableBy: [String]? = nil
    ) {
        self.name = name
        self.label = label
        self.start = start
        self.stop = stop
        self.deadline = deadline
        self.warnBefore = warnBefore
        self.audience = audience
        self.appliesToGroups = appliesToGroups
        self.requesterRoles = requesterRoles
        self.waivableBy = waivableBy
    }

    /// The clock this rule starts at `at`: its absolute deadline and, when it warns, the warning
    /// instant (none when `warn_before` is not shorter than the deadline).
    public func clock(startingAt at: Date) -> ResponseClock {
        let due: Date
        switch deadline {
        case .elapsed(let span): due = at + span.seconds
        }
        let warnAt = warnBefore.flatMap { due - $0.seconds > at ? due - $0.seconds : nil }
        return ResponseClock(kind: name, label: label, stop: stop, startedAt: at, dueAt: due, warnAt: warnAt)
    }

    /// Whether it runs for a crisis of this kind, raised by this requester role.
    public func applies(group: Bool, requesterRole: RequesterRole = .leader) -> Bool {
        (!group || appliesToGroups) && (requesterRoles?.contains(requesterRole) ?? true)
    }
}

extension ClockRule.Stop: Codable, CustomStringConvertible, RawRepresentable {
    /// As the config and the database spell it: `acknowledgement`, or the milestone's name.
    public var rawValue: String {
        switch self {
        case .acknowledgement: "acknowledgement"
        case .milestone(let kind): kind.rawValue
        }
    }

    public var description: String { rawValue }

    public init?(rawValue text: String) { self.init(text) }

    public init?(_ text: String) {
        if text == "acknowledgement" {
            self = .acknowledgement
        } else if let kind = Milestone.Kind(rawValue: text), kind.canStopClocks {
            self = .milestone(kind)
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let stop = Self(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not what stops a clock"))
        }
        self = stop
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ClockRule.Start: CustomStringConvertible {
    /// As the config spells it: `intake`, or the milestone's name.
    public var description: String {
        switch self {
        case .intake: "intake"
        case .milestone(let kind): kind.rawValue
        }
    }

    public init?(_ text: String) {
        if text == "intake" {
            self = .intake
        } else if let kind = Milestone.Kind(rawValue: text), kind.canStartClocks {
            self = .milestone(kind)
        } else {
            return nil
        }
    }
}
