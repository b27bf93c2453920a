import CrisisCore
import Foundation
import Testing

/// Clocks as rules: what starts and stops a clock, who hears of it, whether it runs for a group,
/// and who may waive it all come from its rule; nothing here names a clock the code knows.
struct ClockRulesTests {
    let t0 = utc("2026-11-23T14:00:00Z")
    let reference = CrisisReference(parsing: "CR-7K4P")!
    let escalation = EscalationPolicy(
        steps: [.init(targets: [.person("anna")], wait: 300)], breachTargets: [.person("lead")])
    let rota = Rota(
        timeZone: copenhagen, rotations: [],
        people: [
            Person(id: "anna", name: "Anna Holm", phone: "+4520000001", contacts: ["sms"]),
            Person(id: "lead", name: "Service lead", phone: "+4520000009", contacts: ["sms"]),
        ])

    /// The defaults and one more: arrival within 90 minutes of a dispatch, met on site.
    func rules(arrival: (inout ClockRule) -> Void = { _ in }) -> ClockPolicy {
        var rule = ClockRule(
            name: "arrival", label: "arrival", start: .milestone(.dispatched), stop: .milestone(.onsite),
            deadline: .elapsed(TimeSpan(seconds: 5400)), warnBefore: TimeSpan(seconds: 600))
        arrival(&rule)
        var policy = ClockPolicy()
        policy.rules.append(rule)
        return policy
    }

    func received(_ policy: ClockPolicy, group: Bool = false) -> CrisisSnapshot {
        CrisisSnapshot(
            reference: reference, receivedAt: t0, acknowledgedAt: t0 + 60, acknowledgedBy: "anna", group: group,
            assigned: ["anna"], progress: EscalationProgress(nextAt: nil),
            clocks: policy.startClocks(firstContact: t0, group: group))
    }

    func record(
        _ milestone: Milestone, _ crisis: CrisisSnapshot, _ policy: ClockPolicy, recorded: [Milestone.Kind] = [],
        roles: Set<String> = []
    ) throws -> CrisisSnapshot {
        let effect = try MilestoneRules.apply(
            milestone, to: crisis, recorded: recorded, rules: policy, recorderRoles: roles, now: milestone.at)
        var after = crisis
        after.clocks = effect.clocks
        after.resolved = effect.resolves
        return after
    }

    @Test func aClockStartedByAMilestoneCountsFromItAndIsMetByItsStopMilestone() throws {
        let policy = rules()
        let intake = received(policy)
        #expect(!intake.clocks.contains { $0.kind == "arrival" }, "it does not start at intake")

        let dispatch = Milestone(kind: .dispatched, at: t0 + 1000, by: "anna", to: "carl")
        let dispatched = try record(dispatch, intake, policy)
        let arrival = try #require(dispatched.clocks.first { $0.kind == "arrival" })
        #expect(arrival.startedAt == t0 + 1000 && arrival.dueAt == t0 + 6400 && arrival.warnAt == t0 + 5800)
        #expect(arrival.label == "arrival" && arrival.stop == .milestone(.onsite) && arrival.isRunning)
        #expect(
            MilestoneRules.journal(dispatch, intake, dispatched, actor: "crisisctl", at: t0 + 1000).contains {
                $0.kind == .clockStarted && $0.data["clock"] == "arrival" && $0.data["due_at"] != nil
            })

        // A second dispatch (another psychologist) does not restart it.
        let again = try record(
            Milestone(kind: .dispatched, at: t0 + 2000, by: "anna", to: "bo"), dispatched, policy,
            recorded: [.dispatched])
        #expect(again.clocks.filter { $0.kind == "arrival" } == [arrival])

        let arrived = try record(
            Milestone(kind: .onsite, at: t0 + 5000, by: "carl"), again, policy, recorded: [.dispatched, .dispatched])
        let met = try #require(arrived.clocks.first { $0.kind == "arrival" })
        #expect(met.outcome == .met && met.endedAt == t0 + 5000 && met.endedBy == "carl")
        #expect(arrived.clocks.first { $0.kind == "onsite" }?.outcome == .met, "the same milestone meets both")
    }

    @Test func aClockWhoseStopMilestoneIsAlreadyRecordedDoesNotStart() throws {
        let policy = rules { $0.start = .milestone(.contacted) }
        let after = try record(
            Milestone(kind: .contacted, at: t0 + 900, by: "anna"), received(policy), policy,
            recorded: [.dispatched, .onsite])
        #expect(!after.clocks.contains { $0.kind == "arrival" })
    }

    @Test func aClockForIndividualsOnlyDoesNotRunForAGroup() throws {
        let policy = rules { $0.appliesToGroups = false }
        let dispatch = Milestone(kind: .dispatched, at: t0 + 1000, by: "anna", to: "carl")
        #expect(
            try record(dispatch, received(policy, group: true), policy).clocks.contains { $0.kind == "arrival" }
                == false)
        #expect(try record(dispatch, received(policy), policy).clocks.contains { $0.kind == "arrival" })
    }

    @Test(
        arguments: zip(
            [[.responder, .breach], [.breach], [.responder]] as [Set<ClockRule.Audience>],
            [["anna", "lead"], ["lead"], ["anna"]]))
    func aWarningAndABreachPageTheRulesAudience(audience: Set<ClockRule.Audience>, people: [String]) throws {
        let policy = rules { $0.audience = audience }
        let crisis = try record(
            Milestone(kind: .dispatched, at: t0 + 1000, by: "anna", to: "carl"), received(policy), policy)
        let warned = try #require(
            EscalationEffects.update(crisis, policy: escalation, clocks: policy, rota: rota, now: t0 + 5800))
        #expect(warned.pages.filter { $0.clock == "arrival" }.map(\.person) == people)
        #expect(warned.pages.filter { $0.clock == "arrival" }.allSatisfy { $0.kind == .warning })
        let breached = try #require(
            EscalationEffects.update(warned.snapshot, policy: escalation, clocks: policy, rota: rota, now: t0 + 6400))
        #expect(breached.pages.filter { $0.clock == "arrival" && $0.kind == .breach }.map(\.person) == people)
    }

    @Test func aClockWhoseRuleTellsNoOneIsBreachedInTheJournalOnly() throws {
        let policy = rules {
            $0.audience = []
            $0.warnBefore = nil
        }
        let crisis = try record(
            Milestone(kind: .dispatched, at: t0 + 1000, by: "anna", to: "carl"), received(policy), policy)
        let breached = try #require(
            EscalationEffects.update(crisis, policy: escalation, clocks: policy, rota: rota, now: t0 + 6400))
        #expect(breached.snapshot.clocks.first { $0.kind == "arrival" }?.outcome == .breached)
        #expect(!breached.pages.contains { $0.clock == "arrival" })
        #expect(
            breached.journal.contains {
                $0.kind == .clockEnded && $0.data["clock"] == "arrival" && $0.data["people"] == nil
            })
    }

    @Test func aRunningClockWhoseRuleAReloadRemovedStillBreachesAndTellsTheResponderAndTheBreachTargets() throws {
        let policy = rules { $0.audience = [] }
        let crisis = try record(
            Milestone(kind: .dispatched, at: t0 + 1000, by: "anna", to: "carl"), received(policy), policy)
        let breached = try #require(
            EscalationEffects.update(crisis, policy: escalation, clocks: ClockPolicy(), rota: rota, now: t0 + 6400))
        #expect(
            breached.pages.filter { $0.clock == "arrival" && $0.kind == .breach }.map(\.person) == ["anna", "lead"])
    }

    @Test func anAcknowledgementEndsEveryClockItsRuleSaysItStops() throws {
        var policy = ClockPolicy()
        policy.rules.append(
            ClockRule(
                name: "callback", label: "call-back", stop: .acknowledgement,
                deadline: .elapsed(TimeSpan(seconds: 600)),
                audience: []))
        var crisis = received(policy)
        crisis.acknowledgedAt = nil
        crisis.acknowledgedBy = nil
        let effect = try #require(AcknowledgementRules.apply(crisis, by: "anna", actor: "crisisctl", at: t0 + 120))
        #expect(
            effect.snapshot.clocks.filter { $0.outcome == .met }.map(\.kind).sorted() == ["ack", "callback"])
        #expect(effect.snapshot.clocks.filter(\.isRunning).map(\.kind).sorted() == ["contact", "onsite"])
    }

    // MARK: - waivers

    @Test func aClockMayBeWaivedByNameOnlyWhereItsRuleAllows() throws {
        let policy = ClockPolicy()
        let waiveContact = Milestone(kind: .waive, at: t0 + 600, by: "anna", reason: "no one to call", clock: "contact")
        let error = #expect(throws: FieldError.self) { try record(waiveContact, received(policy), policy) }
        #expect(error?.field == "clock")
        #expect(error?.message == "the contact clock may not be waived")

        let waiveOnsite = Milestone(kind: .waive, at: t0 + 600, by: "anna", reason: "by phone", clock: "onsite")
        let waived = try record(waiveOnsite, received(policy), policy)
        #expect(waived.clocks.first { $0.kind == "onsite" }?.outcome == .waived)
    }

    @Test func aWaiverRestrictedToARoleIsRefusedToOthersOnBy() throws {
        var policy = ClockPolicy()
        policy.rules[2].waivableBy = ["chief"]
        let waive = Milestone(kind: .waiveOnsite, at: t0 + 600, by: "bo", reason: "by phone")
        let error = #expect(throws: FieldError.self) {
            try record(waive, received(policy), policy, roles: ["crisis"])
        }
        #expect(error?.field == "by")
        #expect(error?.message.contains("only a person with the role chief may waive the on site clock") == true)
        let waived = try record(waive, received(policy), policy, roles: ["chief"])
        #expect(waived.clocks.first { $0.kind == "onsite" }?.outcome == .waived)
    }

    @Test func waiveWithoutAClockOrForAClockTheCrisisDoesNotHaveIsAnErrorOnClock() throws {
        let policy = ClockPolicy()
        let unnamed = Milestone(kind: .waive, at: t0 + 600, by: "anna", reason: "by phone")
        #expect(throws: FieldError.self) { try record(unnamed, received(policy), policy) }
        let unknown = Milestone(kind: .waive, at: t0 + 600, by: "anna", reason: "by phone", clock: "lunch")
        let error = #expect(throws: FieldError.self) { try record(unknown, received(policy), policy) }
        #expect(error?.field == "clock")
        #expect(error?.message == "CR-7K4P has no clock \"lunch\"")
    }

    @Test func resolvingWithAClockOfItsOwnRunningSaysHowToEndIt() throws {
        let policy = rules { $0.waivableBy = [] }
        var crisis = try record(
            Milestone(kind: .dispatched, at: t0 + 1000, by: "anna", to: "carl"), received(policy), policy)
        crisis = ending("ack", of: crisis, as: .met, at: t0 + 60)
        crisis = ending("contact", of: crisis, as: .met, at: t0 + 1100)
        crisis = ending("onsite", of: crisis, as: .waived, at: t0 + 1200)
        let resolve = Milestone(kind: .resolved, at: t0 + 1300, by: "anna", outcome: "ok")
        let error = #expect(throws: FieldError.self) { try record(resolve, crisis, policy, recorded: [.dispatched]) }
        #expect(
            error?.message
                == "the arrival clock of CR-7K4P is still running: record onsite, or waive --clock arrival --reason first"
        )
    }

    @Test func aClockThatWaitsForTheResolutionIsMetByIt() throws {
        var policy = ClockPolicy()
        policy.rules.append(
            ClockRule(
                name: "closure", label: "closure", stop: .milestone(.resolved), deadline: .elapsed(TimeSpan(days: 2))))
        var crisis = received(policy)
        crisis = ending("ack", of: crisis, as: .met, at: t0 + 60)
        crisis = ending("ack", of: crisis, as: .met, at: t0 + 60)
        crisis = ending("contact", of: crisis, as: .met, at: t0 + 1100)
        crisis = ending("onsite", of: crisis, as: .waived, at: t0 + 1200)
        let resolved = try record(Milestone(kind: .resolved, at: t0 + 7200, by: "anna", outcome: "ok"), crisis, policy)
        #expect(resolved.resolved)
        #expect(resolved.clocks.first { $0.kind == "closure" }?.outcome == .met)
    }
}
