import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// The page outbox: claims, attempts, retries, giving up and cancellation.
@Suite struct OutboxContractTests {
    let t0 = Fixture.t0
    let reference = Fixture.reference("CR-7K4P")

    @Test(arguments: StoreUnderTest.allCases)
    func aDuePageIsHandedOutOnceWithItsAttemptRecordedBeforeItIsSent(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        #expect(try await store.nextPageDue(excluding: [], retries: true) == t0)
        #expect(try await Fixture.claim(store, at: t0 - 1).isEmpty, "not due before the crisis came in")

        let page = try #require(try await Fixture.claim(store, at: t0).first)
        #expect(page.crisis.reference == reference && page.crisis.site == "Depot")
        #expect(page.person == "anna" && page.channel == "anna-sms" && page.step == 0)
        #expect(page.kind == .crisis && page.clock == nil && page.attempt == 1)
        #expect(try await store.crisis(reference)?.pages.first?.attempts == 1, "the attempt counts before the send")
        let attempted = try #require(try await store.journal(reference: reference, since: nil, limit: 100).last)
        #expect(attempted.kind == .pageAttempted && attempted.data["attempt"] == "1")

        // In flight: not handed out again, and due again at the first backoff should no outcome come.
        #expect(try await Fixture.claim(store, at: t0 + 2, excluding: [page.id]).isEmpty)
        #expect(try await store.nextPageDue(excluding: [page.id], retries: true) == nil)
        #expect(try await Fixture.claim(store, at: t0 + 1).isEmpty)
        #expect(try await store.nextPageDue(excluding: [], retries: true) == t0 + 2)
        #expect(try await Fixture.claim(store, at: t0 + 2).map(\.attempt) == [2])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aPageWithADelayIsNotHandedOutBeforeItsContactRuleSays(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let pages = [
            CrisisDraft.Page(person: "anna", channel: "anna-push", step: 1),
            CrisisDraft.Page(person: "anna", channel: "anna-call", step: 1, after: 180),
        ]
        _ = try await Fixture.record(Fixture.draft("CR-7K4P", pages: pages), in: store)
        let push = try await Fixture.claim(store, at: t0)
        #expect(push.map(\.channel) == ["anna-push"])
        #expect(try await store.nextPageDue(excluding: Set(push.map(\.id)), retries: true) == t0 + 180)
        #expect(try await Fixture.claim(store, at: t0 + 179, excluding: Set(push.map(\.id))).isEmpty)
        let call = try await Fixture.claim(store, at: t0 + 180, excluding: Set(push.map(\.id)))
        #expect(call.map(\.channel) == ["anna-call"] && call.map(\.attempt) == [1])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aClaimedAttemptCarriesANewLinkWhoseHashAloneIsKept(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let page = try #require(
            try await store.claimDuePages(
                at: t0, retry: Fixture.retry, excluding: [], limit: 10, retryLimit: 10, ackLinksValidFor: 3600
            ).pages.first)
        let token = try #require(page.ackToken)
        #expect(SecretToken.isWellFormed(token))
        let link = try #require(try await store.ackLink(tokenSHA256: SecretToken.sha256(token)))
        #expect(link == AckLink(reference: reference, person: "anna", issuedAt: t0, expiresAt: t0 + 3600))
        #expect(try await store.ackLink(tokenSHA256: token) == nil, "the token itself is not a key")
        #expect(try await store.ackLink(tokenSHA256: SecretToken.sha256(SecretToken.generate())) == nil)

        // The retry gets a link of its own; the first stays valid.
        let retried = try #require(
            try await store.claimDuePages(
                at: t0 + 2, retry: Fixture.retry, excluding: [], limit: 10, retryLimit: 10, ackLinksValidFor: 3600
            ).pages.first)
        let second = try #require(retried.ackToken)
        #expect(second != token)
        #expect(try await store.ackLink(tokenSHA256: SecretToken.sha256(second))?.issuedAt == t0 + 2)
        #expect(try await store.ackLink(tokenSHA256: SecretToken.sha256(token)) != nil)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aFailedAttemptIsRetriedWhenDecidedAndADeliveryEndsThePage(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let page = try #require(try await Fixture.claim(store, at: t0).first)
        try await store.finishAttempt(
            page, outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 5), at: t0 + 1)
        let failed = try #require(try await store.crisis(reference)?.pages.first)
        #expect(failed.status == "pending" && failed.attempts == 1 && failed.lastError == "HTTP 503")
        #expect(try await store.nextPageDue(excluding: [], retries: true) == t0 + 5)
        #expect(try await Fixture.claim(store, at: t0 + 4).isEmpty)

        let retry = try #require(try await Fixture.claim(store, at: t0 + 5).first)
        #expect(retry.id == page.id && retry.attempt == 2)
        try await store.finishAttempt(retry, outcome: .delivered(detail: "HTTP 200"), decision: .done, at: t0 + 6)
        let delivered = try #require(try await store.crisis(reference)?.pages.first)
        #expect(delivered.status == "delivered" && delivered.attempts == 2 && delivered.lastError == nil)
        #expect(try await store.nextPageDue(excluding: [], retries: true) == nil)
        #expect(try await Fixture.claim(store, at: t0 + 3600).isEmpty)
        let journal = try await store.journal(reference: reference, since: nil, limit: 100)
        #expect(
            journal.map(\.kind) == [
                .crisisReceived, .pageAttempted, .pageFailed, .pageRetryScheduled, .pageAttempted, .pageDelivered,
            ])
        #expect(journal[2].data["reason"] == "HTTP 503" && journal[5].data["detail"] == "HTTP 200")
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aFailureThatIsNotRetriedGivesThePageUp(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let page = try #require(try await Fixture.claim(store, at: t0).first)
        try await store.finishAttempt(
            page, outcome: .failed(retryable: false, reason: "HTTP 404"),
            decision: .giveUp(reason: "not retryable: HTTP 404"), at: t0 + 1)
        let failed = try #require(try await store.crisis(reference)?.pages.first)
        #expect(failed.status == "failed" && failed.lastError == "HTTP 404")
        #expect(try await store.nextPageDue(excluding: [], retries: true) == nil)
        #expect(try await Fixture.claim(store, at: t0 + 3600).isEmpty)
        let last = try #require(try await store.journal(reference: reference, since: nil, limit: 1).last)
        #expect(last.kind == .pageGaveUp && last.data["reason"] == "not retryable: HTTP 404")
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aPageWhoseAttemptsAreSpentWithNoOutcomeIsGivenUpInsteadOfSent(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let twice = RetryPolicy(maxAttempts: 2, initialBackoff: 2, maxBackoff: 300)
        // Two attempts, each cut short before an outcome was recorded.
        #expect(try await Fixture.claim(store, at: t0, retry: twice).map(\.attempt) == [1])
        #expect(try await Fixture.claim(store, at: t0 + 2, retry: twice).map(\.attempt) == [2])
        #expect(try await store.nextPageDue(excluding: [], retries: true) == t0 + 6)

        let last = try await store.claimDuePages(at: t0 + 6, retry: twice, excluding: [], limit: 10, retryLimit: 10)
        #expect(last.pages.isEmpty, "no third send")
        #expect(last.givenUp.map(\.page.attempt) == [2])
        #expect(last.givenUp.map(\.reason) == ["gave up after 2 attempts with no delivery recorded"])
        let page = try #require(try await store.crisis(reference)?.pages.first)
        #expect(page.status == "failed" && page.lastError == "gave up after 2 attempts with no delivery recorded")
        #expect(try await store.nextPageDue(excluding: [], retries: true) == nil)
        let kinds = try await store.journal(reference: reference, since: nil, limit: 100).map(\.kind)
        #expect(kinds == [.crisisReceived, .pageAttempted, .pageAttempted, .pageGaveUp])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aPageCancelledWhileInFlightStaysCancelled(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let page = try #require(try await Fixture.claim(store, at: t0).first)
        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0)
        try await store.finishAttempt(
            page, outcome: .failed(retryable: true, reason: "timeout"), decision: .retry(at: t0 + 2), at: t0 + 1)
        let cancelled = try #require(try await store.crisis(reference)?.pages.first)
        #expect(cancelled.status == "cancelled" && cancelled.lastError == "timeout")
        #expect(try await store.nextPageDue(excluding: [], retries: true) == nil)
        #expect(try await Fixture.claim(store, at: t0 + 3600).isEmpty)
        let kinds = try await store.journal(reference: reference, since: t0 + 1, limit: 100).map(\.kind)
        #expect(kinds == [.pageFailed], "no retry is scheduled")
    }

    /// Cancelling stops further tries; it does not hide a page that reached its person.
    @Test(arguments: StoreUnderTest.allCases)
    func aPageDeliveredAfterItsCrisisWasAcknowledgedIsRecordedDelivered(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P"), in: store)
        let page = try #require(try await Fixture.claim(store, at: t0).first)
        let receipt = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0)
        #expect(receipt?.cancelledPages == 1)
        try await store.finishAttempt(page, outcome: .delivered(detail: "HTTP 200"), decision: .done, at: t0 + 1)
        let delivered = try #require(try await store.crisis(reference)?.pages.first)
        #expect(delivered.status == "delivered" && delivered.attempts == 1 && delivered.lastError == nil)
        #expect(try await store.nextPageDue(excluding: [], retries: true) == nil)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aClaimTakesAtMostItsLimitEarliestDueFirst(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        for (reference, offset) in [("CR-AAAA", 20.0), ("CR-BBBB", 0), ("CR-CCCC", 10)] {
            _ = try await Fixture.record(Fixture.draft(reference, receivedAt: t0 + offset), in: store)
        }
        let first = try await store.claimDuePages(
            at: t0 + 30, retry: Fixture.retry, excluding: [], limit: 2, retryLimit: 2)
        #expect(first.pages.map(\.crisis.reference.rawValue) == ["CR-BBBB", "CR-CCCC"])
        let rest = try await Fixture.claim(store, at: t0 + 30, excluding: Set(first.pages.map(\.id)))
        #expect(rest.map(\.crisis.reference.rawValue) == ["CR-AAAA"])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func retriesTakeOnlyTheirShareOfPlacesSoABacklogOfThemCannotHoldBackANewPage(_ kind: StoreUnderTest)
        async throws
    {
        let store = try await kind.make()
        for reference in ["CR-2A2A", "CR-3B3B", "CR-4C4C"] {
            _ = try await Fixture.record(Fixture.draft(reference), in: store)
        }
        for page in try await Fixture.claim(store, at: t0) {
            try await store.finishAttempt(
                page, outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 2), at: t0)
        }
        // Long after the retries fell due, two new crises come in.
        _ = try await Fixture.record(Fixture.draft("CR-5D5D", receivedAt: t0 + 600), in: store)
        _ = try await Fixture.record(Fixture.draft("CR-6E6E", receivedAt: t0 + 600), in: store)
        let first = try await store.claimDuePages(
            at: t0 + 600, retry: Fixture.retry, excluding: [], limit: 2, retryLimit: 1
        ).pages
        #expect(first.map(\.crisis.reference.rawValue) == ["CR-2A2A", "CR-5D5D"], "one retry, then the new page")
        #expect(first.map(\.attempt) == [2, 1])
        let next = try await store.claimDuePages(
            at: t0 + 600, retry: Fixture.retry, excluding: Set(first.map(\.id)), limit: 1, retryLimit: 1
        ).pages
        #expect(next.map(\.crisis.reference.rawValue) == ["CR-3B3B"], "retries due long ago come first")
        let noRetries = try await store.claimDuePages(
            at: t0 + 600, retry: Fixture.retry, excluding: Set((first + next).map(\.id)), limit: 5, retryLimit: 0
        ).pages
        #expect(noRetries.map(\.crisis.reference.rawValue) == ["CR-6E6E"])
    }

    /// A crash between an attempt's claim and its outcome says nothing against the receiver: after
    /// the restart that page goes again (as its next attempt) in a new page's place, not in the
    /// retries' share, so a backlog cut short by a crash under load goes out at full pace.
    @Test(arguments: StoreUnderTest.allCases)
    func anAttemptCutShortByACrashIsNotARetry(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        for reference in ["CR-2A2A", "CR-3B3B", "CR-4C4C"] {
            _ = try await Fixture.record(Fixture.draft(reference), in: store)
        }
        let claimed = try await Fixture.claim(store, at: t0)
        // CR-2A2A's attempt fails; the other two are cut short: no outcome is ever recorded.
        try await store.finishAttempt(
            claimed[0], outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 2), at: t0)
        _ = try await Fixture.record(Fixture.draft("CR-5D5D", receivedAt: t0 + 600), in: store)
        #expect(try await store.nextPageDue(excluding: [], retries: false) == t0 + 2)
        let withoutRetries = try await store.claimDuePages(
            at: t0 + 600, retry: Fixture.retry, excluding: [], limit: 10, retryLimit: 0
        ).pages
        #expect(withoutRetries.map(\.crisis.reference.rawValue) == ["CR-3B3B", "CR-4C4C", "CR-5D5D"])
        #expect(withoutRetries.map(\.attempt) == [2, 2, 1])
        #expect(withoutRetries.map(\.isRetry) == [false, false, false])
        let retries = try await store.claimDuePages(
            at: t0 + 600, retry: Fixture.retry, excluding: Set(withoutRetries.map(\.id)), limit: 10, retryLimit: 1
        ).pages
        #expect(retries.map(\.crisis.reference.rawValue) == ["CR-2A2A"])
        #expect(retries.map(\.isRetry) == [true])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func withoutRetriesOnlyPagesThatNeverFailedAreDue(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-2A2A"), in: store)
        let page = try #require(try await Fixture.claim(store, at: t0).first)
        try await store.finishAttempt(
            page, outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 2), at: t0)
        let fresh = try await Fixture.record(Fixture.draft("CR-3B3B", receivedAt: t0 + 5), in: store)
        #expect(try await store.nextPageDue(excluding: [], retries: true) == t0 + 2)
        #expect(try await store.nextPageDue(excluding: [], retries: false) == t0 + 5)
        #expect(try await store.nextPageDue(excluding: [fresh.pages[0].id], retries: false) == nil)
    }
}

/// Notices to the requester: a receipt at once, and who has the case once someone acknowledges.
@Suite struct RequesterNoticeContractTests {
    let t0 = Fixture.t0
    let reference = Fixture.reference("CR-7K4P")

    @Test(arguments: StoreUnderTest.allCases)
    func aHeldNoticeWaitsForTheAcknowledgementWhichNeitherCancelsItNorTheReceipt(_ kind: StoreUnderTest)
        async throws
    {
        let store = try await kind.make()
        let pages = [
            CrisisDraft.Page(person: "anna", channel: "anna-sms", step: 1),
            CrisisDraft.Page(person: "anna", channel: "anna-call", step: 1, after: 180),
            CrisisDraft.Page(person: "requester:glostrup", channel: "sms", step: 0, kind: .receipt, after: 60),
            CrisisDraft.Page(person: "requester:glostrup", channel: "sms", step: 0, kind: .ackNotice, held: true),
        ]
        _ = try await Fixture.record(Fixture.draft("CR-7K4P", pages: pages), in: store)
        let claim = { (at: Date) in
            try await store.claimDuePages(
                at: at, retry: Fixture.retry, excluding: [], limit: 10, retryLimit: 10, ackLinksValidFor: 3600
            ).pages
        }
        let first = try await claim(t0)
        #expect(first.map(\.kind) == [.crisis])
        #expect(try await store.crisis(reference)?.pages.map(\.status) == ["pending", "pending", "pending", "held"])
        #expect(
            try await store.nextPageDue(excluding: Set(first.map(\.id)), retries: true) == t0 + 60,
            "a held page is never due")

        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 30)
        #expect(
            try await store.crisis(reference)?.pages.map(\.status) == ["cancelled", "cancelled", "pending", "pending"],
            "the pages to anna are dropped; the receipt still goes, and the notice is due")
        let released = try await claim(t0 + 30)
        #expect(released.map(\.kind) == [.ackNotice] && released.map(\.person) == ["requester:glostrup"])
        #expect(released.first?.crisis.acknowledgedBy == "anna")
        #expect(released.first?.ackToken == nil, "a requester's notice carries no link to acknowledge with")
        let receipt = try await claim(t0 + 60).filter { $0.kind == .receipt }
        #expect(receipt.count == 1 && receipt.first?.ackToken == nil)
        let queued = try await store.journal(reference: reference, since: nil, limit: 100).filter {
            $0.kind == .pageQueued && $0.data["reason"] == "acknowledged"
        }
        #expect(queued.map { $0.data["kind"] } == ["ack_notice"])
    }
}

/// A rate-limited recipient's pages wait in the outbox.
@Suite struct HeldRecipientContractTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreUnderTest.allCases)
    func aHeldRecipientsPagesStayButOthersAndRequesterNoticesGo(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let pages = [
            CrisisDraft.Page(person: "anna", channel: "sms", step: 1),
            CrisisDraft.Page(person: "anna", channel: "push", step: 1),
            CrisisDraft.Page(person: "requester:glostrup", channel: "sms", step: 0, kind: .receipt),
        ]
        _ = try await Fixture.record(Fixture.draft("CR-7K4P", pages: pages), in: store)
        _ = try await Fixture.record(
            Fixture.draft("CR-AAAA", pages: [CrisisDraft.Page(person: "anna", channel: "sms", step: 1, after: 5)]),
            in: store)
        let holding: Set<PageRecipient> = [
            PageRecipient(person: "anna", channel: "sms"), PageRecipient(person: "requester:glostrup", channel: "sms"),
        ]
        let claimed = try await store.claimDuePages(
            at: t0 + 10, retry: Fixture.retry, excluding: [], holding: holding, limit: 10, retryLimit: 10,
            ackLinksValidFor: nil
        ).pages
        #expect(claimed.map { "\($0.person)/\($0.channel)" } == ["anna/push", "requester:glostrup/sms"])
        let inFlight = Set(claimed.map(\.id))
        #expect(try await store.nextPageDue(excluding: inFlight, holding: holding, retries: true) == nil)
        #expect(try await store.nextPageDue(excluding: inFlight, holding: [], retries: true) == t0)

        let released = try await store.claimDuePages(
            at: t0 + 10, retry: Fixture.retry, excluding: inFlight, holding: [], limit: 10, retryLimit: 10,
            ackLinksValidFor: nil
        ).pages
        #expect(released.map(\.crisis.reference.description) == ["CR-7K4P", "CR-AAAA"])
    }
}
