import Foundation

/// The effects of an escalation evaluation: whom each step, warning, breach and exhaustion pages,
/// and the journal entries that tell it. Pure: handed the rota and `now`.
public enum EscalationEffects {
    /// What is due for one crisis at `now` (`Escalator.evaluate`) as a change to record: the
    /// crisis after it, the pages it queues and the journal that tells it; nil when nothing is due.
    public static func update(
        _ crisis: CrisisSnapshot, policy: EscalationPolicy, clocks: ClockPolicy, rota: Rota, now: Date
    ) -> CrisisUpdate? {
        update(crisis, policy: policy, clocks: clocks, rota: rota, now: now) { Routing.route($0, rota: rota, at: now) }
    }

    /// The same, routing each list of targets with `route` (`Routing.route` against `rota` at
    /// `now`, or a `RoutingMemo` of it).
    public static func update(
        _ crisis: CrisisSnapshot, policy: EscalationPolicy, clocks: ClockPolicy, rota: Rota, now: Date,
        route: (_ targets: [EscalationTarget]) -> RoutingDecision
    ) -> CrisisUpdate? {
        let evaluation = Escalator.evaluate(crisis, policy: policy, now: now)
        guard evaluation.snapshot != crisis else { return nil }
        let reference = crisis.reference
        var pages: [CrisisDraft.Page] = []
        var journal: [JournalEntry] = []

        /// Who hears about a clock, by its rule: the psychologist who acknowledged (else those
        /// paged), the breach targets, both, or no one. A clock whose rule was removed by a reload
        /// tells both, rather than no one.
        func clockRecipients(_ kind: ClockKind) -> [String]? {
            let audience = clocks[kind]?.audience ?? [.responder, .breach]
            guard !audience.isEmpty else { return nil }
            var people: [String] = []
            if audience.contains(.responder) {
                people = crisis.acknowledgedBy.flatMap { rota.people[$0] == nil ? nil : [$0] } ?? crisis.assigned
            }
            if audience.contains(.breach) {
                for recipient in route(policy.breachTargets).recipients
                where !people.contains(recipient.person) {
                    people.append(recipient.person)
                }
            }
            return people
        }

        for action in evaluation.actions {
            switch action {
            case .page(let number, let targets, let dueAt):
                let routing = route(targets)
                let people = routing.recipients.map(\.person)
                pages += PagePlanner.pages(for: people, rota: rota, step: number, kind: .crisis)
                if routing.noOneOnDuty {
                    journal.append(
                        JournalEntry(
                            at: now, reference: reference, kind: .crisisUnstaffed, actor: "crisisd",
                            data: ["step": "\(number)", "rotations": routing.unstaffedRotations.joined(separator: ",")])
                    )
                }
                journal.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .escalationStep, actor: "crisisd",
                        data: [
                            "step": "\(number)", "targets": targets.map(\.description).joined(separator: ","),
                            "people": people.joined(separator: ","), "due_at": dueAt.formatted(.iso8601),
                        ]))
            case .exhausted(let targets, let dueAt):
                let people = route(targets).recipients.map(\.person)
                pages += PagePlanner.pages(for: people, rota: rota, step: 0, kind: .exhausted)
                journal.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .escalationExhausted, actor: "crisisd",
                        data: ["people": people.joined(separator: ","), "due_at": dueAt.formatted(.iso8601)]))
            case .warn(let kind, let dueAt, let warnAt):
                let people = clockRecipients(kind) ?? []
                pages += PagePlanner.pages(for: people, rota: rota, step: 0, kind: .warning, clock: kind)
                journal.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .clockWarned, actor: "crisisd",
                        data: [
                            "clock": kind.rawValue, "due_at": dueAt.formatted(.iso8601),
                            "warn_at": warnAt.formatted(.iso8601),
                            "people": people.joined(separator: ","),
                        ]))
            case .breach(let kind, let dueAt):
                var data = [
                    "clock": kind.rawValue, "outcome": ClockOutcome.breached.rawValue,
                    "due_at": dueAt.formatted(.iso8601), "ended_at": dueAt.formatted(.iso8601),
                ]
                // A clock whose rule tells no one (the acknowledgement's: escalation is its answer) only records it.
                if let people = clockRecipients(kind) {
                    pages += PagePlanner.pages(for: people, rota: rota, step: 0, kind: .breach, clock: kind)
                    data["people"] = people.joined(separator: ",")
                }
                journal.append(
                    JournalEntry(at: now, reference: reference, kind: .clockEnded, actor: "crisisd", data: data))
            }
        }
        return CrisisUpdate(snapshot: evaluation.snapshot, pages: pages, journal: journal)
    }
}
