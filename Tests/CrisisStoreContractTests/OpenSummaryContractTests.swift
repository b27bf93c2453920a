import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// The summary behind systemd's status line says what the crises read whole say: how many are
/// not resolved, and their earliest running clock or escalation step.
@Suite struct OpenSummaryContractTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreUnderTest.allCases)
    func theSummaryAgreesWithTheOpenCrisesAsTheyChange(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        func agrees(_ note: Comment) async throws {
            #expect(try await store.openSummary() == StatusLine.Summary(try await store.openCrises()), note)
        }
        #expect(try await store.openSummary() == StatusLine.Summary(open: 0, next: nil))

        // The next escalation step (2 minutes) comes before any clock.
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let first = try await store.openSummary()
        #expect(first.open == 1)
        #expect(first.next == .init(reference: Fixture.reference("CR-7K4P"), what: "escalation", at: t0 + 120))
        try await agrees("one crisis")

        // A later crisis with no step: the earlier crisis's step still leads.
        _ = try await Fixture.record(Fixture.draft("CR-9M2Q", receivedAt: t0 + 30, nextStepAfter: nil), in: store)
        try await agrees("two crises")

        // Acknowledged: no more steps for CR-7K4P; its running clocks now lead.
        _ = try await store.acknowledge(Fixture.reference("CR-7K4P"), by: "anna", actor: "crisisctl", at: t0 + 60)
        let acknowledged = try await store.openSummary()
        #expect(acknowledged.next?.what != "escalation", "\(acknowledged)")
        try await agrees("after an acknowledgement")

        // Resolved, its clocks waived: it leaves the count, and its deadlines the line.
        _ = try await store.update(Fixture.reference("CR-7K4P"), at: t0 + 900) { crisis, _ in
            var after = crisis
            for index in after.clocks.indices where after.clocks[index].isRunning {
                after.clocks[index].outcome = .waived
                after.clocks[index].endedAt = t0 + 900
            }
            after.resolved = true
            return CrisisUpdate(snapshot: after, milestone: Milestone(kind: .resolved, at: t0 + 900, by: "anna"))
        }
        let resolved = try await store.openSummary()
        #expect(resolved.open == 1 && resolved.next?.reference == Fixture.reference("CR-9M2Q"), "\(resolved)")
        try await agrees("after a resolution")
    }
}
