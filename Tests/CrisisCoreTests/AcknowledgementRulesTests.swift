import CrisisCore
import Foundation
import Testing

/// What "I have it" changes, decided in the core; the store applies it.
struct AcknowledgementRulesTests {
    let t0 = EscalatorTests.t0

    @Test func anAcknowledgementInTimeMeetsTheAckClockStopsEscalationAndLeavesTheContractClocksRunning() throws {
        let crisis = EscalatorTests.received()
        let effect = try #require(AcknowledgementRules.apply(crisis, by: "anna", actor: "crisisctl", at: t0 + 60))
        #expect(effect.snapshot.acknowledgedAt == t0 + 60)
        #expect(effect.snapshot.acknowledgedBy == "anna")
        #expect(effect.snapshot.progress.nextAt == nil, "no further escalation step")
        let ack = try #require(effect.snapshot.clocks.first { $0.kind == "ack" })
        #expect(ack.outcome == .met && ack.endedAt == t0 + 60 && ack.endedBy == "anna")
        #expect(effect.snapshot.clocks.filter { $0.kind != "ack" }.allSatisfy { $0.outcome == nil })
        #expect(effect.journal.map(\.kind) == [.crisisAcknowledged, .clockEnded])
        #expect(effect.journal.last?.data["outcome"] == "met")
        #expect(AcknowledgementRules.stoppedPages == [.crisis], "warnings and breaches of running clocks still go")
    }

    @Test func aLateAcknowledgementStillStandsAndTheAckClockEndsBreachedAtItsDeadline() throws {
        let crisis = EscalatorTests.received()
        let due = try #require(crisis.clocks.first { $0.kind == "ack" }?.dueAt)
        let effect = try #require(AcknowledgementRules.apply(crisis, by: "bo", actor: "requester:x", at: due + 600))
        let ack = try #require(effect.snapshot.clocks.first { $0.kind == "ack" })
        #expect(ack.outcome == .breached && ack.endedAt == due)
        #expect(effect.snapshot.acknowledgedBy == "bo")
    }

    @Test func theFirstAcknowledgementStands() throws {
        let crisis = EscalatorTests.received()
        let first = try #require(AcknowledgementRules.apply(crisis, by: "anna", actor: "crisisctl", at: t0 + 60))
        #expect(AcknowledgementRules.apply(first.snapshot, by: "bo", actor: "crisisctl", at: t0 + 120) == nil)
    }
}
