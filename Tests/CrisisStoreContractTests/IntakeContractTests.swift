import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// `record`: a crisis goes in whole, once, under its own reference.
@Suite struct IntakeContractTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreUnderTest.allCases)
    func aRecordedCrisisComesBackWholeAndTheSameWhenReadAgain(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        var draft = Fixture.draft(
            "CR-7K4P",
            pages: [
                CrisisDraft.Page(person: "anna", channel: "anna-sms", step: 0),
                CrisisDraft.Page(person: "bo", channel: "bo-mail", step: 0, kind: .warning, clock: "contact"),
            ])
        draft.intake = Intake(
            category: .accident, site: "Harbour, quay 3", callback: "+4587654321", requesterName: "Jens Jensen",
            requesterRole: .hr, group: true, people: 4, note: "a crane fell", drill: true)
        draft.assigned = ["anna", "bo"]
        draft.noOneOnDuty = true

        let view = try await Fixture.record(draft, in: store)
        #expect(view.reference == draft.reference)
        #expect(view.category == .accident && view.site == "Harbour, quay 3" && view.callback == "+4587654321")
        #expect(view.requesterRole == .hr && view.group && view.people == 4 && view.drill)
        #expect(view.receivedAt == t0 && view.status == .open)
        #expect(view.acknowledgedAt == nil && view.acknowledgedBy == nil)
        #expect(view.assigned == ["anna", "bo"] && view.noOneOnDuty)
        #expect(view.clocks == draft.clocks)
        #expect(view.escalation == draft.progress)
        #expect(view.milestones.isEmpty)
        #expect(view.pages.map(\.person) == ["anna", "bo"])
        #expect(view.pages.map(\.channel) == ["anna-sms", "bo-mail"])
        #expect(view.pages.map(\.kind) == ["crisis", "warning"])
        #expect(view.pages.allSatisfy { $0.status == "pending" && $0.attempts == 0 && $0.lastError == nil })
        #expect(Set(view.pages.map(\.id)).count == 2, "each page has its own id")

        #expect(try await store.crisis(draft.reference) == view)
        #expect(Fixture.written(try await store.journal(reference: nil, since: nil, limit: 100)) == draft.journal)
        #expect(try await store.crisis(Fixture.reference("CR-2222")) == nil)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aRepeatedIdempotencyKeyReturnsTheFirstCrisisAndWritesNothing(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let first = try await Fixture.record(Fixture.draft("CR-7K4P", key: "k-1"), in: store)
        // The retry of the same request, under the new reference the caller drew for it.
        guard case .existing(let view) = try await store.record(Fixture.draft("CR-9XYZ", key: "k-1")) else {
            Issue.record("a repeated key must not record a second crisis")
            return
        }
        #expect(view == first)
        #expect(try await store.crisis(Fixture.reference("CR-9XYZ")) == nil)
        #expect(try await store.openCrises().count == 1)
        #expect(try await store.journal(reference: nil, since: nil, limit: 100).count == 1)
        #expect(try await Fixture.claim(store, at: t0).count == 1, "the first report's page only")
    }

    @Test(arguments: StoreUnderTest.allCases)
    func theSameKeyFromAnotherSourceRecordsAnotherCrisis(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P", key: "k-1", source: "requester:albertslund"), in: store)
        let other = try await store.record(Fixture.draft("CR-9XYZ", key: "k-1", source: "crisisctl"))
        guard case .created(let view) = other else {
            Issue.record("an idempotency key belongs to the source that sent it")
            return
        }
        #expect(view.reference == Fixture.reference("CR-9XYZ"))
        #expect(try await store.openCrises().count == 2)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aKeyReusedForAnotherReportIsRefusedNamingTheFirstCrisis(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P", key: "k-1"), in: store)
        var other = Fixture.draft("CR-9XYZ", key: "k-1")
        other.intake.site = "Another site"
        await #expect(throws: StoreError.idempotencyKeyReused(existing: Fixture.reference("CR-7K4P"))) {
            try await store.record(other)
        }
        #expect(try await store.crisis(Fixture.reference("CR-9XYZ")) == nil)
        #expect(try await store.crisis(Fixture.reference("CR-7K4P"))?.site == "Depot")
        #expect(try await store.journal(reference: nil, since: nil, limit: 100).count == 1)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aTakenReferenceIsRefusedAndNothingOfTheSecondReportIsWritten(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let first = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        var second = Fixture.draft(
            "CR-7K4P", source: "crisisctl", receivedAt: t0 + 60,
            pages: [
                CrisisDraft.Page(person: "bo", channel: "bo-sms", step: 0),
                CrisisDraft.Page(person: "carl", channel: "carl-sms", step: 0),
            ])
        second.intake.site = "Another site"
        await #expect(throws: StoreError.referenceTaken) { try await store.record(second) }
        #expect(try await store.crisis(first.reference) == first)
        #expect(try await store.source(of: first.reference) == "requester:albertslund")
        #expect(try await store.journal(reference: nil, since: nil, limit: 100).count == 1)
        #expect(try await Fixture.claim(store, at: t0 + 60).map(\.person) == ["anna"])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func concurrentIntakesWithOneKeyRecordOneCrisis(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let references = CrisisReference.alphabet.prefix(16).map { "CR-2A2\($0)" }
        let results = try await withThrowingTaskGroup(of: IntakeResult.self) { group in
            for reference in references {
                group.addTask { try await store.record(Fixture.draft(reference, key: "k-1")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var created: [CrisisReference] = []
        var existing: [CrisisReference] = []
        for result in results {
            switch result {
            case .created(let view): created.append(view.reference)
            case .existing(let view): existing.append(view.reference)
            }
        }
        #expect(created.count == 1)
        #expect(existing.count == 15 && existing.allSatisfy { $0 == created.first })
        #expect(try await store.openCrises().map(\.reference) == created)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aNewCrisisIsDueAtItsEarliestDeadline(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        #expect(try await store.nextDeadline() == nil, "nothing recorded, nothing due")
        // No escalation step: the ack clock, due at +300 s, comes first.
        _ = try await Fixture.record(Fixture.draft("CR-2A2A", nextStepAfter: nil), in: store)
        #expect(try await store.nextDeadline() == t0 + 300)
        // A later crisis whose next step comes before that.
        _ = try await Fixture.record(Fixture.draft("CR-3B3B", receivedAt: t0 + 60), in: store)
        #expect(try await store.nextDeadline() == t0 + 180)
    }
}
