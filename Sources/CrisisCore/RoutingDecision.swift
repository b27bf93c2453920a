/// Who gets paged for a step, and why: the result of `Routing.route`.
public struct RoutingDecision: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable, Codable {
        public var person: String
        /// The escalation target that named this person (`rotation:chiefs`).
        public var target: String
        /// Said in the journal: `on duty on chiefs until 2026-11-30T07:00:00Z`.
        public var reason: String

        public init(person: String, target: String, reason: String) {
            self.person = person
            self.target = target
            self.reason = reason
        }
    }

    public var recipients: [Recipient]
    /// Rotations that had no one on duty; their members were all paged instead.
    public var unstaffedRotations: [String]

    public var noOneOnDuty: Bool { !unstaffedRotations.isEmpty }
}
