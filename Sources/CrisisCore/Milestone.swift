import Foundation

/// A step of the response, recorded by the provider with who and when.
public struct Milestone: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A psychologist has spoken with the affected person(s): meets the contact clock.
        case contacted
        /// A crisis psychologist (`to`) is sent to the site.
        case dispatched
        /// The crisis psychologist has arrived: meets the on-site clock.
        case onsite
        /// The chief psychologist judges no on-site help is needed (`reason`): waives the on-site clock.
        case waiveOnsite = "waive-onsite"
        /// Waives the clock named `clock` (`reason`), where its rule lets it be waived.
        case waive
        /// The crisis is closed (`outcome`).
        case resolved
        /// After a crisis an employee raised: the employee's leader has been told.
        case leaderInformed = "leader-informed"

        public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

        /// Milestones that are steps of the response, so a clock may count from them.
        public var canStartClocks: Bool { [.contacted, .dispatched, .onsite].contains(self) }
        /// Milestones a clock may wait for; a waiver ends a clock differently.
        public var canStopClocks: Bool {
            [.contacted, .dispatched, .onsite, .resolved, .leaderInformed].contains(self)
        }
        /// The milestone a crisis psychologist's dispatch leads to: nobody is sent to a site
        /// where the clock waiting for that arrival was waived.
        var leadsTo: Kind? { self == .dispatched ? .onsite : nil }
    }

    public var kind: Kind
    /// When it happened; may be earlier than when it was recorded, never later.
    public var at: Date
    public var by: String
    /// The crisis psychologist sent, for `dispatched`.
    public var to: String?
    /// Why a clock was waived.
    public var reason: String?
    /// How the crisis ended, for `resolved`. Free text: kept in the database only.
    public var outcome: String?
    /// The clock a `waive` waives.
    public var clock: ClockKind?

    public init(
        kind: Kind, at: Date, by: String, to: String? = nil, reason: String? = nil, outcome: String? = nil,
        clock: ClockKind? = nil
    ) {
        self.kind = kind
        self.at = at
        self.by = by
        self.to = to
        self.reason = reason
        self.outcome = outcome
        self.clock = clock
    }

    /// The clock this milestone waives: `waive`'s named clock; `waive-onsite`, the contract's
    /// spelling from before clocks were rules, the default rule `onsite`.
    public var waives: ClockKind? { kind == .waive ? clock : Self.ownWaivers[kind] }

    /// The milestones that waive one clock by name, kept from before clocks were rules.
    static let ownWaivers: [Kind: ClockKind] = [.waiveOnsite: "onsite"]

    /// How to waive `clock` on the command line: its own milestone where it has one.
    public static func waiver(of clock: ClockKind) -> String {
        ownWaivers.first { $0.value == clock }.map(\.key.rawValue) ?? "waive --clock \(clock)"
    }
}

/// The body of `POST /v1/crises/REF/milestones`, before it is checked.
public struct MilestoneRequest: Sendable, Equatable, Codable {
    public var milestone: String?
    public var at: Date?
    public var by: String?
    public var to: String?
    public var reason: String?
    public var outcome: String?
    /// For `waive`: the clock's name.
    public var clock: String?

    public init(
        milestone: String?, at: Date? = nil, by: String? = nil, to: String? = nil, reason: String? = nil,
        outcome: String? = nil, clock: String? = nil
    ) {
        self.milestone = milestone
        self.at = at
        self.by = by
        self.to = to
        self.reason = reason
        self.outcome = outcome
        self.clock = clock
    }
}
