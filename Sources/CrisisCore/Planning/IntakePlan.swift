import Foundation

/// What an intake decides before anything is written: who is paged on which channels, the
/// clocks it starts, its escalation, and the journal that tells it. Pure: handed `now`.
public struct IntakePlan: Sendable {
    public var routing: RoutingDecision
    public var clocks: [ResponseClock]
    public var progress: EscalationProgress
    public var pages: [CrisisDraft.Page]

    /// Routes the first escalation step; with no one on duty, every member of the step's
    /// rotations and, at once, the `exhausted` targets are paged.
    public init(_ intake: Intake, escalation: EscalationPolicy, clocks: ClockPolicy, rota: Rota, at now: Date) {
        self.init(intake, escalation: escalation, clocks: clocks, rota: rota, at: now) {
            Routing.route($0, rota: rota, at: now)
        }
    }

    /// The same, routing each list of targets with `route` (`Routing.route` against `rota` at
    /// `now`, or a `RoutingMemo` of it).
    public init(
        _ intake: Intake, escalation: EscalationPolicy, clocks: ClockPolicy, rota: Rota, at now: Date,
        route: (_ targets: [EscalationTarget]) -> RoutingDecision
    ) {
        let firstStep = escalation.steps.first?.targets ?? []
        var routing = route(firstStep)
        if routing.noOneOnDuty {
            for recipient in route(escalation.exhaustedTargets).recipients
            where !routing.recipients.contains(where: { $0.person == recipient.person }) {
                routing.recipients.append(
                    .init(
                        person: recipient.person, target: recipient.target,
                        reason: "no one on duty: \(recipient.reason)"))
            }
        }
        self.routing = routing
        self.clocks = clocks.startClocks(firstContact: now, group: intake.group, requesterRole: intake.requesterRole)
        self.progress = .start(policy: escalation, at: now)
        self.pages = PagePlanner.pages(for: routing.recipients.map(\.person), rota: rota, step: 1, kind: .crisis)
    }

    /// The crisis to record under `reference`, with its journal: received, routed to each person,
    /// unstaffed if so, each clock started, each page queued.
    ///
    /// With `receiptsVia`, the requester (`source`) hears back on that channel: a receipt at once,
    /// and a notice held until the acknowledgement says who has the case.
    public func draft(
        reference: CrisisReference, intake: Intake, source: String, idempotencyKey: String?, receiptsVia: String? = nil,
        at now: Date
    ) -> CrisisDraft {
        var pages = self.pages
        if let channel = receiptsVia {
            pages.append(CrisisDraft.Page(person: source, channel: channel, step: 0, kind: .receipt))
            pages.append(CrisisDraft.Page(person: source, channel: channel, step: 0, kind: .ackNotice, held: true))
        }
        var journal = [
            JournalEntry(
                at: now, reference: reference, kind: .crisisReceived, actor: source,
                data: [
                    "category": intake.category.rawValue, "site": intake.site, "callback": intake.callback,
                    "requester_role": intake.requesterRole.rawValue, "group": "\(intake.group)",
                    "drill": "\(intake.drill)",
                ])
        ]
        for recipient in routing.recipients {
            journal.append(
                JournalEntry(
                    at: now, reference: reference, kind: .crisisRouted, actor: "crisisd",
                    data: ["person": recipient.person, "target": recipient.target, "reason": recipient.reason]))
        }
        if routing.noOneOnDuty {
            journal.append(
                JournalEntry(
                    at: now, reference: reference, kind: .crisisUnstaffed, actor: "crisisd",
                    data: ["rotations": routing.unstaffedRotations.joined(separator: ",")]))
        }
        for clock in clocks {
            journal.append(
                JournalEntry(
                    at: now, reference: reference, kind: .clockStarted, actor: "crisisd",
                    data: ["clock": clock.kind.rawValue, "due_at": clock.dueAt.formatted(.iso8601)]))
        }
        for page in pages {
            var data = ["person": page.person, "channel": page.channel, "step": "\(page.step)"]
            if page.after > 0 { data["not_before"] = (now + page.after).formatted(.iso8601) }
            if page.kind != .crisis { data["kind"] = page.kind.rawValue }
            if page.held { data["held"] = "until acknowledged" }
            journal.append(JournalEntry(at: now, reference: reference, kind: .pageQueued, actor: "crisisd", data: data))
        }
        return CrisisDraft(
            reference: reference, intake: intake, source: source, idempotencyKey: idempotencyKey, receivedAt: now,
            assigned: routing.recipients.map(\.person), noOneOnDuty: routing.noOneOnDuty, clocks: clocks,
            progress: progress, pages: pages, journal: journal)
    }
}
