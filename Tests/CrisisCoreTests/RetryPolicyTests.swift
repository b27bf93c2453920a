import CrisisCore
import Foundation
import Testing

struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 10, initialBackoff: 2, maxBackoff: 300)
    let now = utc("2026-11-23T14:00:00Z")

    @Test(arguments: [
        (1, 2.0), (2, 4), (3, 8), (4, 16), (5, 32), (6, 64), (7, 128), (8, 256), (9, 300), (10, 300), (1000, 300),
    ])
    func theBackoffDoublesAfterEachFailureUpToTheCap(attempt: Int, seconds: TimeInterval) {
        #expect(policy.backoff(afterAttempt: attempt) == seconds)
    }

    @Test func aRetryableFailureIsRetriedAfterTheBackoff() {
        #expect(
            policy.decide(attempt: 1, outcome: .failed(retryable: true, reason: "HTTP 503"), now: now)
                == .retry(at: now + 2))
        #expect(
            policy.decide(attempt: 3, outcome: .failed(retryable: true, reason: "timeout"), now: now)
                == .retry(at: now + 8))
        #expect(
            policy.decide(attempt: 9, outcome: .failed(retryable: true, reason: "timeout"), now: now)
                == .retry(at: now + 300))
    }

    @Test func aFailureThatIsNotRetryableGivesUpAtOnce() {
        let decision = policy.decide(attempt: 1, outcome: .failed(retryable: false, reason: "HTTP 404"), now: now)
        #expect(decision == .giveUp(reason: "not retryable: HTTP 404"))
    }

    @Test func theLastAttemptGivesUp() {
        let decision = policy.decide(attempt: 10, outcome: .failed(retryable: true, reason: "HTTP 503"), now: now)
        #expect(decision == .giveUp(reason: "gave up after 10 attempts: HTTP 503"))
    }

    @Test func aSingleAttemptPolicyNeverRetries() {
        let once = RetryPolicy(maxAttempts: 1)
        guard case .giveUp = once.decide(attempt: 1, outcome: .failed(retryable: true, reason: "timeout"), now: now)
        else {
            Issue.record("expected to give up")
            return
        }
    }

    @Test func aClaimedAttemptCarriesItsNumberAndTheInstantToRetryShouldNoOutcomeFollow() {
        #expect(policy.claim(attemptsMade: 0, now: now) == .send(attempt: 1, retryAt: now + 2))
        #expect(policy.claim(attemptsMade: 3, now: now) == .send(attempt: 4, retryAt: now + 16))
        #expect(policy.claim(attemptsMade: 9, now: now) == .send(attempt: 10, retryAt: now + 300))
    }

    @Test func noAttemptIsClaimedBeyondMaxAttempts() {
        #expect(
            policy.claim(attemptsMade: 10, now: now)
                == .giveUp(reason: "gave up after 10 attempts with no delivery recorded"))
        // After a reload that lowered max_attempts, a page already past it is not sent again either.
        #expect(
            RetryPolicy(maxAttempts: 3).claim(attemptsMade: 5, now: now)
                == .giveUp(reason: "gave up after 5 attempts with no delivery recorded"))
    }

    @Test func aDeliveredPageIsDone() {
        #expect(policy.decide(attempt: 1, outcome: .delivered(detail: "HTTP 200"), now: now) == .done)
        #expect(policy.decide(attempt: 10, outcome: .delivered(detail: "HTTP 200"), now: now) == .done)
    }

    @Test func aRetryIsSpreadByJitterWithinTwentyPercentOfTheBackoff() {
        let failed = DeliveryOutcome.failed(retryable: true, reason: "HTTP 503")
        // Attempt 3 backs off 8 s: between 6.4 s and 9.6 s by the random draw.
        #expect(policy.decide(attempt: 3, outcome: failed, now: now, jitter: 0) == .retry(at: now + 6.4))
        #expect(policy.decide(attempt: 3, outcome: failed, now: now, jitter: 0.5) == .retry(at: now + 8))
        #expect(policy.decide(attempt: 3, outcome: failed, now: now, jitter: 1) == .retry(at: now + 9.6))
    }

    @Test func aRetryWaitsAtLeastTheReceiversRetryAfterButNoLongerThanTheLongestBackoff() {
        let asked = DeliveryOutcome.failed(retryable: true, reason: "HTTP 429", retryAfter: 60)
        #expect(policy.decide(attempt: 1, outcome: asked, now: now) == .retry(at: now + 60))
        let soon = DeliveryOutcome.failed(retryable: true, reason: "HTTP 429", retryAfter: 1)
        #expect(policy.decide(attempt: 3, outcome: soon, now: now) == .retry(at: now + 8), "the backoff when longer")
        let tooLong = DeliveryOutcome.failed(retryable: true, reason: "HTTP 503", retryAfter: 3600)
        #expect(
            policy.decide(attempt: 1, outcome: tooLong, now: now) == .retry(at: now + 300),
            "a crisis page is never parked past backoff_max")
    }
}
