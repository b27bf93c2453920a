import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// `acknowledge`: the first acknowledgement stands, ends the ack clock and stops the crisis pages.
@Suite struct AcknowledgementContractTests {
    let t0 = Fixture.t0
    let reference = Fixture.reference("CR-7K4P")

    @Test(arguments: StoreUnderTest.allCases)
    func anAcknowledgementMeetsTheAckClockAndCancelsOnlyTheCrisisPagesStillWaiting(_ kind: StoreUnderTest)
        async throws
    {
        let store = try await kind.make()
        let draft = Fixture.draft(
            "CR-7K4P",
            pages: [
                CrisisDraft.Page(person: "anna", channel: "anna-sms", step: 0),
                CrisisDraft.Page(person: "bo", channel: "bo-sms", step: 0),
                CrisisDraft.Page(person: "anna", channel: "anna-mail", step: 0, kind: .warning, clock: "contact"),
            ])
        _ = try await Fixture.record(draft, in: store)
        // Anna's page is delivered; Bo's failed and waits for its retry; the warning is in flight.
        let sent = try await Fixture.claim(store, at: t0)
        #expect(sent.map(\.channel) == ["anna-sms", "bo-sms", "anna-mail"])
        try await store.finishAttempt(sent[0], outcome: .delivered(detail: "200"), decision: .done, at: t0 + 1)
        try await store.finishAttempt(
            sent[1], outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 3), at: t0 + 1)

        let receipt = try #require(try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 60))
        #expect(
            receipt
                == AckReceipt(
                    reference: reference, acknowledgedAt: t0 + 60, acknowledgedBy: "anna", alreadyAcknowledged: false,
                    cancelledPages: 1))
        let view = try #require(try await store.crisis(reference))
        #expect(view.status == .acknowledged && view.acknowledgedAt == t0 + 60 && view.acknowledgedBy == "anna")
        let ack = try #require(view.clocks.first { $0.kind == "ack" })
        #expect(ack.outcome == .met && ack.endedAt == t0 + 60 && ack.endedBy == "anna")
        #expect(view.clocks.filter { $0.kind != "ack" }.allSatisfy { $0.isRunning }, "milestones end the other clocks")
        #expect(view.escalation.nextAt == nil, "no more escalation steps")
        #expect(view.pages.map(\.status) == ["delivered", "cancelled", "pending"])

        let journal = try await store.journal(reference: reference, since: t0 + 60, limit: 100)
        #expect(journal.map(\.kind) == [.crisisAcknowledged, .clockEnded, .pageCancelled])
        #expect(journal.allSatisfy { $0.actor == "crisisctl" && $0.at == t0 + 60 })
        #expect(journal[0].data["by"] == "anna")
        #expect(journal[1].data["clock"] == "ack" && journal[1].data["outcome"] == "met")
        #expect(journal[2].data["person"] == "bo" && journal[2].data["reason"] == "acknowledged")
        #expect(try await Fixture.claim(store, at: t0 + 3600).map(\.channel) == ["anna-mail"], "the warning still goes")
    }

    @Test(arguments: StoreUnderTest.allCases)
    func theFirstAcknowledgementStandsAndALaterOneChangesNothing(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 60)
        let before = try await store.crisis(reference)
        let journalBefore = try await store.journal(reference: nil, since: nil, limit: 100)

        let second = try #require(try await store.acknowledge(reference, by: "bo", actor: "person:bo", at: t0 + 120))
        #expect(
            second
                == AckReceipt(
                    reference: reference, acknowledgedAt: t0 + 60, acknowledgedBy: "anna", alreadyAcknowledged: true,
                    cancelledPages: 0))
        #expect(try await store.crisis(reference) == before)
        #expect(try await store.journal(reference: nil, since: nil, limit: 100) == journalBefore)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func acknowledgingAnUnknownCrisisAnswersNilAndWritesNothing(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let unknown = Fixture.reference("CR-2222")
        #expect(try await store.acknowledge(unknown, by: "anna", actor: "crisisctl", at: t0 + 60) == nil)
        #expect(try await store.journal(reference: nil, since: nil, limit: 100).count == 1)
        #expect(try await store.crisis(reference)?.status == .open)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aLateAcknowledgementEndsTheAckClockBreachedAtItsDeadline(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 301)
        let view = try #require(try await store.crisis(reference))
        #expect(view.status == .acknowledged && view.acknowledgedAt == t0 + 301)
        let ack = try #require(view.clocks.first { $0.kind == "ack" })
        #expect(ack.outcome == .breached)
        #expect(ack.endedAt == t0 + 300, "a breach is recorded at the deadline, not at the late acknowledgement")
    }

    @Test(arguments: StoreUnderTest.allCases)
    func anAcknowledgementMovesTheNextDeadlineToTheClocksStillRunning(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        #expect(try await store.nextDeadline() == t0 + 120, "the next escalation step")
        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 60)
        #expect(try await store.nextDeadline() == t0 + 2700, "the contact clock's warning")
        let due = try await store.decideDue(at: t0 + 2699, limit: 10) { _, _ in
            throw Refusal("nothing is due before the contact warning")
        }
        #expect(due.examined == 0)
    }
}
