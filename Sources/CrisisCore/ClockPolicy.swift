import Foundation

/// The clock rules in force (`[clocks]` in the config), in the order they are shown.
public struct ClockPolicy: Sendable, Equatable {
    public var rules: [ClockRule]

    public init(rules: [ClockRule]) {
        self.rules = rules
    }

    /// The contract's clocks as `[clocks]`'s shorthand keys describe them: `ack` (stopped by the
    /// acknowledgement, its misses the escalation's business), `contact` (stopped by `contacted`)
    /// and `onsite` (stopped by `onsite`, waivable), all counted from first contact, the contract
    /// clocks warning `warn_before` ahead; and `leader_informed`, for a crisis an employee raised:
    /// the leader is told within its deadline, else the responder is reminded.
    public init(
        ack: TimeSpan = TimeSpan(seconds: 300), contact: TimeSpan = TimeSpan(seconds: 3600),
        onsite: TimeSpan = TimeSpan(seconds: 4 * 3600), warnBefore: TimeSpan = TimeSpan(seconds: 900),
        contactAppliesToGroups: Bool = true, leaderInformed: TimeSpan = TimeSpan(seconds: 2 * 3600)
    ) {
        self.rules = [
            ClockRule(
                name: "ack", label: "acknowledge", stop: .acknowledgement, deadline: .elapsed(ack), audience: []),
            ClockRule(
                name: "contact", label: "contact", stop: .milestone(.contacted), deadline: .elapsed(contact),
                warnBefore: warnBefore, appliesToGroups: contactAppliesToGroups),
            ClockRule(
                name: "onsite", label: "on site", stop: .milestone(.onsite), deadline: .elapsed(onsite),
                warnBefore: warnBefore, waivableBy: []),
            ClockRule(
                name: "leader_informed", label: "leader informed", stop: .milestone(.leaderInformed),
                deadline: .elapsed(leaderInformed), audience: [.responder], requesterRoles: [.employee]),
        ]
    }

    public subscript(name: ClockKind) -> ClockRule? { rules.first { $0.name == name } }

    /// The clocks a crisis starts with, counted from first contact.
    public func startClocks(firstContact: Date, group: Bool, requesterRole: RequesterRole = .leader)
        -> [ResponseClock]
    {
        rules.filter { $0.start == .intake && $0.applies(group: group, requesterRole: requesterRole) }
            .map { $0.clock(startingAt: firstContact) }
    }

    /// The clocks `milestone` starts, counted from when it happened: each rule that starts at it,
    /// has not run for this crisis yet, and still has something to wait for.
    public func clocks(startedBy milestone: Milestone, crisis: CrisisSnapshot, recorded: [Milestone.Kind])
        -> [ResponseClock]
    {
        rules.filter { rule in
            guard rule.start == .milestone(milestone.kind), rule.applies(group: crisis.group),
                !crisis.clocks.contains(where: { $0.kind == rule.name })
            else { return false }
            if case .milestone(let stop) = rule.stop, recorded.contains(stop) { return false }
            return true
        }.map { $0.clock(startingAt: milestone.at) }
    }
}
