import CrisisCore
import Foundation
import Testing

/// What one attempt's outcome changes in the outbox, the same for every store.
struct AttemptRulesTests {
    let t0 = utc("2026-11-23T14:00:00Z")
    let reference = CrisisReference(parsing: "CR-7K4P")!

    func finish(_ current: PageStatus, _ outcome: DeliveryOutcome, _ decision: RetryPolicy.Decision)
        -> AttemptRules.Result
    {
        AttemptRules.finish(
            AttemptRules.Attempt(page: 7, person: "anna", channel: "sms", number: 2, reference: reference),
            current: current, outcome: outcome, decision: decision, at: t0)
    }

    @Test func aFailureWorthRetryingSchedulesTheNextAttemptAndSaysWhen() {
        let result = finish(.pending, .failed(retryable: true, reason: "HTTP 503"), .retry(at: t0 + 4))
        #expect(result.status == .pending && result.nextAttemptAt == t0 + 4 && result.lastError == "HTTP 503")
        #expect(result.journal.map(\.kind) == [.pageFailed, .pageRetryScheduled])
        #expect(result.journal.allSatisfy { $0.data["page"] == "7" && $0.data["attempt"] == "2" })
    }

    @Test func aPageGivenUpIsFailedAndJournaledWithItsReason() {
        let result = finish(.pending, .failed(retryable: false, reason: "HTTP 400"), .giveUp(reason: "HTTP 400"))
        #expect(result.status == .failed && result.nextAttemptAt == nil)
        #expect(result.journal.last?.kind == .pageGaveUp && result.journal.last?.data["reason"] == "HTTP 400")
    }

    @Test func aPageCancelledMeanwhileIsNotRetriedButADeliveryIsRecordedAsOne() {
        let failed = finish(.cancelled, .failed(retryable: true, reason: "timeout"), .retry(at: t0 + 4))
        #expect(failed.status == .cancelled && failed.nextAttemptAt == nil)
        #expect(failed.journal.map(\.kind) == [.pageFailed])
        let delivered = finish(.cancelled, .delivered(detail: "HTTP 200"), .done)
        #expect(delivered.status == .delivered && delivered.journal.map(\.kind) == [.pageDelivered])
    }
}
