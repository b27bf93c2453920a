import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// `update` and `decideDue`: the store hands the core a crisis as committed and applies what it
/// decides, atomically, with the crisis's next deadline.
@Suite struct DecisionContractTests {
    let t0 = Fixture.t0
    let reference = Fixture.reference("CR-7K4P")

    /// The engine's step: the next escalation step paged, to `person`, and the one after at `nextAt`.
    static func step(to person: String, nextAt: Date, at now: Date)
        -> @Sendable (CrisisSnapshot, [Milestone.Kind])
        -> CrisisUpdate?
    {
        { crisis, _ in
            var after = crisis
            after.progress.step += 1
            after.progress.nextAt = nextAt
            return CrisisUpdate(
                snapshot: after, pages: [CrisisDraft.Page(person: person, channel: "\(person)-sms", step: 1)],
                journal: [JournalEntry(at: now, reference: crisis.reference, kind: .escalationStep, actor: "crisisd")])
        }
    }

    @Test(arguments: StoreUnderTest.allCases)
    func anUpdateSeesTheCrisisAsStoredAndAppliesWhatWasDecided(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let recorded = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let seen = Seen<(CrisisSnapshot, [Milestone.Kind])>()
        let contacted = Milestone(kind: .contacted, at: t0 + 600, by: "anna")
        let now = t0 + 700
        let update = try await store.update(reference, at: now) { crisis, milestones in
            seen.add((crisis, milestones))
            var after = crisis
            let contact = after.clocks.firstIndex { $0.kind == "contact" }!
            after.clocks[contact].outcome = .met
            after.clocks[contact].endedAt = contacted.at
            after.clocks[contact].endedBy = "anna"
            return CrisisUpdate(
                snapshot: after, milestone: contacted,
                pages: [CrisisDraft.Page(person: "bo", channel: "bo-sms", step: 0, kind: .breach, clock: "ack")],
                journal: [JournalEntry(at: now, reference: crisis.reference, kind: .milestoneRecorded, actor: "anna")])
        }
        #expect(update?.milestone == contacted)
        let (snapshot, milestones) = try #require(seen.all.first)
        #expect(snapshot.reference == reference && snapshot.receivedAt == t0 && !snapshot.resolved)
        #expect(snapshot.clocks == recorded.clocks && snapshot.progress == recorded.escalation)
        #expect(snapshot.assigned == ["anna"] && snapshot.acknowledgedAt == nil)
        #expect(milestones.isEmpty)

        let view = try #require(try await store.crisis(reference))
        #expect(view.milestones == [contacted])
        let contact = try #require(view.clocks.first { $0.kind == "contact" })
        #expect(contact.outcome == .met && contact.endedAt == t0 + 600 && contact.endedBy == "anna")
        #expect(view.pages.map(\.kind) == ["crisis", "breach"])
        #expect(try await store.nextPageDue(excluding: [view.pages[0].id], retries: true) == now, "queued due at once")
        let claimed = try await Fixture.claim(store, at: now, excluding: [view.pages[0].id])
        #expect(claimed.map(\.kind) == [.breach] && claimed.map(\.clock) == ["ack"])
        #expect(
            try await store.journal(reference: reference, since: now, limit: 100).map(\.kind).first
                == .milestoneRecorded)

        // The next decision is told what was recorded.
        _ = try await store.update(reference, at: now) { _, milestones in
            seen.add((snapshot, milestones))
            return nil
        }
        #expect(seen.all.last?.1 == [.contacted])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aClockAMilestoneStartsIsStoredWithItsRuleAndAWaiverKeepsTheClockItNamed(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P", nextStepAfter: nil), in: store)
        let arrival = ResponseClock(
            kind: "arrival", label: "arrival after dispatch", stop: .milestone(.onsite), startedAt: t0 + 600,
            dueAt: t0 + 1800, warnAt: t0 + 1500)
        let dispatched = Milestone(kind: .dispatched, at: t0 + 600, by: "anna", to: "carl")
        _ = try await store.update(reference, at: t0 + 700) { crisis, _ in
            var after = crisis
            let ack = after.clocks.firstIndex { $0.kind == "ack" }!
            after.clocks[ack].outcome = .met
            after.clocks[ack].endedAt = t0 + 100
            after.clocks.append(arrival)
            return CrisisUpdate(snapshot: after, milestone: dispatched)
        }
        var view = try #require(try await store.crisis(reference))
        #expect(view.clocks.first { $0.kind == "arrival" } == arrival)
        #expect(view.clocks.count == 4)
        // The engine finds it: its warning, before the contact clock's, is the next deadline.
        #expect(try await store.nextDeadline() == t0 + 1500)

        let waive = Milestone(kind: .waive, at: t0 + 800, by: "anna", reason: "by phone", clock: "arrival")
        _ = try await store.update(reference, at: t0 + 900) { crisis, _ in
            var after = crisis
            let index = after.clocks.firstIndex { $0.kind == "arrival" }!
            after.clocks[index].outcome = .waived
            after.clocks[index].endedAt = waive.at
            after.clocks[index].endedBy = "anna"
            after.clocks[index].reason = "by phone"
            return CrisisUpdate(snapshot: after, milestone: waive)
        }
        view = try #require(try await store.crisis(reference))
        #expect(view.milestones.map(\.kind) == [.dispatched, .waive])
        #expect(view.milestones.last?.clock == "arrival")
        let waived = try #require(view.clocks.first { $0.kind == "arrival" })
        #expect(waived.outcome == .waived && waived.label == "arrival after dispatch" && waived.reason == "by phone")
    }

    @Test(arguments: StoreUnderTest.allCases)
    func noDecisionAndNoCrisisChangeNothing(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let before = try await store.crisis(reference)
        let seen = Seen<CrisisReference>()
        #expect(try await store.update(reference, at: t0 + 60) { _, _ in nil } == nil)
        let unknown = try await store.update(Fixture.reference("CR-2222"), at: t0 + 60) { crisis, _ in
            seen.add(crisis.reference)
            return CrisisUpdate(snapshot: crisis)
        }
        #expect(unknown == nil && seen.all.isEmpty, "no crisis, no decision")
        #expect(try await store.crisis(reference) == before)
        #expect(try await store.journal(reference: nil, since: nil, limit: 100).count == 1)
        #expect(try await store.nextDeadline() == t0 + 120)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aDecisionThatThrowsLeavesTheCrisisAsItWas(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let before = try await store.crisis(reference)
        await #expect(throws: Refusal.self) {
            try await store.update(reference, at: t0 + 60) { _, _ in throw Refusal("out of order") }
        }
        #expect(try await store.crisis(reference) == before)
        #expect(try await store.journal(reference: nil, since: nil, limit: 100).count == 1)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aClockThatHasEndedIsNeverChangedByALaterDecision(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 60)
        _ = try await store.update(reference, at: t0 + 2700) { crisis, _ in
            // A decision that would rewrite the ended ack clock, and warns of the running contact clock.
            var after = crisis
            for index in after.clocks.indices where after.clocks[index].kind == "ack" {
                after.clocks[index].outcome = .breached
                after.clocks[index].endedAt = t0 + 300
                after.clocks[index].endedBy = nil
            }
            for index in after.clocks.indices where after.clocks[index].kind == "contact" {
                after.clocks[index].warnedAt = t0 + 2700
            }
            return CrisisUpdate(snapshot: after)
        }
        let clocks = try #require(try await store.crisis(reference)?.clocks)
        let ack = try #require(clocks.first { $0.kind == "ack" })
        #expect(ack.outcome == .met && ack.endedAt == t0 + 60 && ack.endedBy == "anna")
        #expect(clocks.first { $0.kind == "contact" }?.warnedAt == t0 + 2700)
        #expect(try await store.nextDeadline() == t0 + 3600, "warned: the contact deadline is next")
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aResolvedCrisisLeavesTheOpenListIsNeverDueAndKeepsItsOutcomeOutOfSight(_ kind: StoreUnderTest)
        async throws
    {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 60)
        let resolved = Milestone(kind: .resolved, at: t0 + 900, by: "anna", outcome: "talked it through with Jens")
        _ = try await store.update(reference, at: t0 + 1000) { crisis, _ in
            var after = crisis
            for index in after.clocks.indices where after.clocks[index].isRunning {
                after.clocks[index].outcome = .waived
                after.clocks[index].endedAt = t0 + 900
            }
            after.resolved = true
            return CrisisUpdate(snapshot: after, milestone: resolved)
        }
        let view = try #require(try await store.crisis(reference))
        #expect(view.status == .resolved)
        #expect(view.clocks.allSatisfy { !$0.isRunning })
        #expect(view.milestones.map(\.kind) == [.resolved] && view.milestones.first?.at == t0 + 900)
        #expect(view.milestones.first?.outcome == nil, "the free-text outcome stays in the store")
        #expect(try await store.openCrises().isEmpty)
        #expect(try await store.nextDeadline() == nil)
        let none = try await store.decideDue(at: t0 + 86_400, limit: 10) { _, _ in nil }
        #expect(none.examined == 0 && none.nextDeadline == nil)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func decideDueTakesOnlyDueCrisesEarliestFirstAtMostTheLimit(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        // Next steps: C at +60 s, A at +100 s, B at +140 s, D at +600 s. Acks are due at +300 s.
        for (reference, step) in [("CR-AAAA", 100.0), ("CR-BBBB", 140), ("CR-CCCC", 60), ("CR-DDDD", 600)] {
            _ = try await Fixture.record(Fixture.draft(reference, nextStepAfter: step), in: store)
        }
        let now = t0 + 150
        let decide = Self.step(to: "bo", nextAt: t0 + 10_000, at: now)
        let first = try await store.decideDue(at: now, limit: 2, decide)
        #expect(first.examined == 2)
        #expect(first.updates.map(\.snapshot.reference.rawValue) == ["CR-CCCC", "CR-AAAA"])
        // Each pass tells when to look again, as committed: B is still due; then the ack clocks.
        #expect(first.nextDeadline == t0 + 140)
        let rest = try await store.decideDue(at: now, limit: 10, decide)
        #expect(rest.examined == 1 && rest.updates.map(\.snapshot.reference.rawValue) == ["CR-BBBB"])
        #expect(rest.nextDeadline == t0 + 300)
        #expect(try await store.decideDue(at: now, limit: 10, decide).examined == 0, "each decided once")

        for reference in ["CR-AAAA", "CR-BBBB", "CR-CCCC"] {
            let view = try #require(try await store.crisis(Fixture.reference(reference)))
            #expect(view.escalation.step == 1 && view.escalation.nextAt == t0 + 10_000)
            #expect(view.pages.map(\.person) == ["anna", "bo"])
        }
        #expect(try await store.crisis(Fixture.reference("CR-DDDD"))?.escalation.step == 0)
        #expect(try await store.nextDeadline() == t0 + 300, "the ack clocks come next")
        #expect(try await store.journal(reference: nil, since: now, limit: 100).count == 3)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aDueCrisisDecidedNilIsExaminedAndStaysDue(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let due = try await store.decideDue(at: t0 + 120, limit: 10) { _, _ in nil }
        #expect(due.examined == 1 && due.updates.isEmpty && due.undecided.isEmpty)
        #expect(try await store.nextDeadline() == t0 + 120)
        #expect(try await store.journal(reference: nil, since: nil, limit: 100).count == 1)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aCrisisWhoseDecisionThrowsIsReportedAndLeftAsItWasWhileTheOthersCommit(_ kind: StoreUnderTest)
        async throws
    {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-AAAA", nextStepAfter: 60), in: store)
        _ = try await Fixture.record(Fixture.draft("CR-BBBB", nextStepAfter: 90), in: store)
        let step = Self.step(to: "bo", nextAt: t0 + 10_000, at: t0 + 120)
        let due = try await store.decideDue(at: t0 + 120, limit: 10) { crisis, milestones in
            guard crisis.reference.rawValue == "CR-AAAA" else { throw Refusal("cannot decide") }
            return step(crisis, milestones)
        }
        #expect(due.examined == 2)
        #expect(due.updates.map(\.snapshot.reference.rawValue) == ["CR-AAAA"])
        #expect(due.undecided.map(\.reference) == ["CR-BBBB"])
        #expect(due.undecided.first?.reason.contains("cannot decide") == true)
        // The one that could be decided escalated; the other is exactly as it was, still due.
        #expect(try await store.crisis(Fixture.reference("CR-AAAA"))?.escalation.step == 1)
        #expect(try await store.crisis(Fixture.reference("CR-BBBB"))?.escalation.step == 0)
        #expect(try await store.crisis(Fixture.reference("CR-BBBB"))?.pages.count == 1)
        #expect(try await store.nextDeadline() == t0 + 90)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func concurrentUpdatesEachSeeTheOneCommittedBefore(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let reference = reference
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    _ = try await store.update(reference, at: Fixture.t0 + 60) { crisis, _ in
                        var after = crisis
                        after.progress.step += 1
                        return CrisisUpdate(snapshot: after)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.crisis(reference)?.escalation.step == 20, "no decision was taken on a stale read")
    }
}
