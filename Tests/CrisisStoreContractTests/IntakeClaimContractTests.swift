import CrisisCore
import CrisisStorage
import Foundation
import Synchronization
import Testing

/// The intake's transaction claims the first attempt of its pages due at once on the channels it
/// is given: they go out without a second transaction, on the same terms as an outbox claim.
@Suite struct ImmediateClaimContractTests {
    let t0 = Fixture.t0
    let reference = Fixture.reference("CR-7K4P")
    let pages = [
        CrisisDraft.Page(person: "anna", channel: "hook", step: 1),
        CrisisDraft.Page(person: "anna", channel: "anna-sms", step: 1),
        CrisisDraft.Page(person: "anna", channel: "hook", step: 1, after: 120),
        CrisisDraft.Page(person: "leader", channel: "hook", step: 0, kind: .ackNotice, held: true),
    ]

    @Test(arguments: StoreUnderTest.allCases)
    func theImmediateClaimsItsPagesDueAtOnceOnTheGivenChannelsAndNoOthers(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let claim = ImmediateClaim(channels: ["hook"], retry: Fixture.retry, ackLinksValidFor: 3600)
        let recorded = try await store.record(Fixture.draft("CR-7K4P", pages: pages), claiming: claim)
        guard case .created(let crisis) = recorded.result else {
            Issue.record("a new crisis is created")
            return
        }
        #expect(crisis.reference == reference)

        // Only the page due now on "hook": not the SMS, not the delayed one, not the held notice.
        let page = try #require(recorded.claimed.first)
        #expect(recorded.claimed.count == 1)
        #expect(page.channel == "hook" && page.person == "anna" && page.attempt == 1 && page.kind == .crisis)
        #expect(page.crisis.reference == reference && page.crisis.site == "Depot")
        // As every claimed page: the crisis as a page tells it, without its pages and milestones.
        #expect(page.crisis.pages.isEmpty && page.crisis.milestones.isEmpty)
        let token = try #require(page.ackToken)
        #expect(try await store.ackLink(tokenSHA256: SecretToken.sha256(token))?.expiresAt == t0 + 3600)

        // On disk with the crisis: the attempt counts, and it is journaled as an outbox claim is.
        let stored = try #require(try await store.crisis(reference)?.pages)
        #expect(stored.map(\.attempts) == [1, 0, 0, 0])
        let journal = try await store.journal(reference: reference, since: nil, limit: 100)
        #expect(journal.filter { $0.kind == .pageAttempted }.map { $0.data["attempt"] } == ["1"])

        // The outbox hands out the others, never the claimed page again before its retry instant.
        let outbox = try await Fixture.claim(store, at: t0)
        #expect(outbox.map(\.channel) == ["anna-sms"])
        #expect(try await Fixture.claim(store, at: t0 + 1, excluding: Set(outbox.map(\.id))).isEmpty)
        // Should no outcome ever come (a crash mid-request), it goes again as attempt 2.
        let again = try await Fixture.claim(store, at: t0 + 2, excluding: Set(outbox.map(\.id)))
        #expect(again.map(\.id) == [page.id] && again.map(\.attempt) == [2])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aRepeatedImmediateClaimsNothing(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let claim = ImmediateClaim(channels: ["hook"], retry: Fixture.retry, ackLinksValidFor: nil)
        let draft = Fixture.draft("CR-7K4P", key: "once", pages: pages)
        let first = try await store.record(draft, claiming: claim)
        #expect(first.claimed.count == 1 && first.claimed.first?.ackToken == nil)
        let repeated = try await store.record(draft, claiming: claim)
        guard case .existing = repeated.result else {
            Issue.record("the key names the crisis recorded first")
            return
        }
        #expect(repeated.claimed.isEmpty)
        #expect(try await store.crisis(reference)?.pages.map(\.attempts) == [1, 0, 0, 0])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aPassOverDueDeadlinesClaimsThePagesOfWhatItDecides(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-7K4P", pages: []), in: store)
        let claim = ImmediateClaim(channels: ["hook"], retry: Fixture.retry, ackLinksValidFor: 3600)
        let decisions = try await store.decideDue(at: t0 + 120, limit: 10, claiming: claim) { crisis, _ in
            var after = crisis
            after.progress.step += 1
            after.progress.nextAt = nil
            return CrisisUpdate(
                snapshot: after,
                pages: [
                    CrisisDraft.Page(person: "bo", channel: "bo-sms", step: 2),
                    CrisisDraft.Page(person: "bo", channel: "hook", step: 2),
                ])
        }
        #expect(decisions.updates.count == 1)
        let page = try #require(decisions.claimed.first)
        #expect(decisions.claimed.count == 1)
        #expect(page.person == "bo" && page.channel == "hook" && page.step == 2 && page.attempt == 1)
        #expect(page.crisis.reference == reference && page.ackToken != nil)
        // The page tells the crisis as the pass left it (its step, its clocks), not as it was read.
        var committed = try #require(try await store.crisis(reference))
        #expect(committed.pages.map(\.attempts) == [0, 1])
        committed.pages = []
        committed.milestones = []
        #expect(page.crisis == committed)
        #expect(page.crisis.escalation.step == 1)
        // The SMS waits in the outbox; the claimed page is not handed out again.
        #expect(try await Fixture.claim(store, at: t0 + 120).map(\.channel) == ["bo-sms"])
    }

    /// The claimed pages go to `handOver` to be sent, the intake's and each decided crisis's.
    @Test(arguments: StoreUnderTest.allCases)
    func claimedPagesAreHandedOverToBeSent(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let handed = Mutex<[Int64]>([])
        let claim = ImmediateClaim(channels: ["hook"], retry: Fixture.retry, ackLinksValidFor: 3600) { pages in
            handed.withLock { $0 += pages.map(\.id) }
        }
        let recorded = try await store.record(Fixture.draft("CR-7K4P", pages: pages), claiming: claim)
        #expect(!recorded.claimed.isEmpty)
        #expect(handed.withLock { $0 } == recorded.claimed.map(\.id))

        handed.withLock { $0 = [] }
        let decisions = try await store.decideDue(at: t0 + 120, limit: 10, claiming: claim) { crisis, _ in
            var after = crisis
            after.progress.step += 1
            after.progress.nextAt = nil
            return CrisisUpdate(snapshot: after, pages: [CrisisDraft.Page(person: "bo", channel: "hook", step: 2)])
        }
        #expect(decisions.claimed.count == 1)
        #expect(handed.withLock { $0 } == decisions.claimed.map(\.id))
    }
}
