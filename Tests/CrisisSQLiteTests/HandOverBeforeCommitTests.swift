import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import GRDB
import Synchronization
import Testing

@testable import CrisisSQLite

/// The pages an intake claims go to the sender once its transaction has decided all it will,
/// while the commit syncs to disk; an attempt whose transaction then fails records no outcome.
@Suite struct HandOverBeforeCommitTests {
    let path = TestFolder.unique("handover", suffix: ".sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    let retry = RetryPolicy(maxAttempts: 3, initialBackoff: 2, maxBackoff: 300)

    func draft(_ reference: String) -> CrisisDraft {
        .sample(
            CrisisReference(parsing: reference)!, at: t0,
            pages: [CrisisDraft.Page(person: "anna", channel: "hook", step: 1)])
    }

    /// What a claim hands over, and what another connection saw of the crisis at that moment.
    final class Receiver: Sendable {
        let handed = Mutex<[(pages: [OutboundPage], crisesOnDisk: Int, committed: Bool?)]>([])
        let watcher: DatabaseQueue

        init(path: String) throws { watcher = try DatabaseQueue(path: path) }

        func claim(_ retry: RetryPolicy, linkKey: [UInt8]? = nil) -> ImmediateClaim {
            ImmediateClaim(channels: ["hook"], retry: retry, ackLinksValidFor: 3600, linkKey: linkKey) { pages in
                let onDisk = (try? self.watcher.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM crisis") })
                self.handed.withLock { $0.append((pages, onDisk ?? -1, pages.first?.claimedIn?.didCommit)) }
            }
        }

        var all: [(pages: [OutboundPage], crisesOnDisk: Int, committed: Bool?)] { handed.withLock { $0 } }
    }

    @Test func anIntakesClaimedPageIsHandedOverBeforeItsTransactionCommits() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let receiver = try Receiver(path: path)
        let recorded = try await store.record(draft("CR-7K4P"), claiming: receiver.claim(retry))

        let handed = try #require(receiver.all.first)
        #expect(receiver.all.count == 1)
        #expect(handed.pages.map(\.id) == recorded.claimed.map(\.id) && handed.pages.map(\.attempt) == [1])
        #expect(handed.crisesOnDisk == 0, "handed over while its transaction was still to commit")
        #expect(handed.committed == nil)
        #expect(handed.pages.first?.claimedIn?.didCommit == true, "and by the answer it had committed")
        #expect(try await store.crisis(CrisisReference(parsing: "CR-7K4P")!) != nil)
    }

    /// A pass decides the most overdue crisis first, and its page goes at once: not after the
    /// rest of the batch is decided, nor after the commit.
    @Test func aPassHandsOverEachCrisissPagesAsItIsDecidedMostOverdueFirst() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let receiver = try Receiver(path: path)
        var later = draft("CR-9QXW")
        later.progress.nextAt = t0 + 200
        later.pages = []
        var earlier = draft("CR-7K4P")
        earlier.progress.nextAt = t0 + 100
        earlier.pages = []
        _ = try await store.record(later)
        _ = try await store.record(earlier)
        let decided = Mutex<[String]>([])
        let decisions = try await store.decideDue(at: t0 + 300, limit: 10, claiming: receiver.claim(retry)) {
            crisis, _ in
            decided.withLock { $0.append(crisis.reference.rawValue) }
            var after = crisis
            after.progress.step += 1
            after.progress.nextAt = nil
            return CrisisUpdate(snapshot: after, pages: [CrisisDraft.Page(person: "bo", channel: "hook", step: 2)])
        }
        #expect(decisions.claimed.count == 2)
        #expect(decided.withLock { $0 } == ["CR-7K4P", "CR-9QXW"])
        // One hand-over per crisis, in the order decided, each before the commit.
        #expect(receiver.all.map { $0.pages.map(\.crisis.reference.rawValue) } == [["CR-7K4P"], ["CR-9QXW"]])
        #expect(receiver.all.allSatisfy { $0.committed == nil })
        #expect(receiver.all.allSatisfy { $0.pages.first?.claimedIn?.didCommit == true })
    }

    /// A write that hands a page on and then fails undoes only itself: its transaction commits
    /// the others, and the status it handed on says that its own rows did not.
    @Test func aWriteThatFailsAfterHandingOnSaysSoWhileItsTransactionCommits() async throws {
        struct Refused: Error { let status: CommitStatus }
        let store = try SQLiteCrisisStore(path: path)
        let hold = try await WriterHold(store.writer)
        defer { hold.release() }
        let failing = Task {
            try await store.writer.write(handingOver: { _, status -> Int in throw Refused(status: status) })
        }
        let kept = Task { try await store.writer.write(handingOver: { _, status in status }) }
        try await WriterHold.waitUntil(store.writer, queued: 2)
        let before = store.writer.commits
        hold.release()
        try await hold.done.value
        let keptStatus = try await kept.value
        var failedStatus: CommitStatus?
        do {
            _ = try await failing.value
        } catch let refused as Refused {
            failedStatus = refused.status
        }
        #expect(store.writer.commits - before == 1, "both in one transaction")
        #expect(try #require(failedStatus).didCommit == false)
        #expect(keptStatus.didCommit == true)
    }

    /// A commit can fail after all is decided (an I/O error, a full disk, here a foreign key
    /// checked only at commit). The page already went; its rows did not, and its id may be
    /// given to another page: its outcome must not be recorded on that. Done again alone, the
    /// intake sends the same page with the same link, which then works in both.
    @Test func anAttemptWhoseTransactionFailedToCommitRecordsNoOutcome() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let receiver = try Receiver(path: path)
        let hold = try await WriterHold(store.writer)
        defer { hold.release() }

        let key = [UInt8](repeating: 7, count: 32)
        let intake = Task { try await store.record(draft("CR-7K4P"), claiming: receiver.claim(retry, linkKey: key)) }
        let poison = Task {
            try await store.writer.write { db in
                try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                try db.execute(
                    sql: "INSERT INTO crisis_personal (crisis_id, requester_name, note) VALUES (999999, NULL, NULL)")
            }
        }
        try await WriterHold.waitUntil(store.writer, queued: 2)
        hold.release()
        try await hold.done.value
        let recorded = try await intake.value
        await #expect(throws: (any Error).self) { try await poison.value }

        // Handed over twice: in the shared transaction, which failed, then alone, which committed.
        #expect(receiver.all.map { $0.pages.first?.claimedIn?.didCommit } == [false, true])
        let lost = try #require(receiver.all.first?.pages.first)
        let kept = try #require(receiver.all.last?.pages.first)
        #expect(kept.id == recorded.claimed.first?.id)

        await #expect(throws: StoreError.claimNotCommitted) {
            try await store.finishAttempt(lost, outcome: .delivered(detail: "HTTP 200"), decision: .done, at: t0)
        }
        // The same page, with the same link: the one in the page that went first works too.
        let lostToken = try #require(lost.ackToken)
        #expect(lostToken == kept.ackToken)
        #expect(try await store.ackLink(tokenSHA256: SecretToken.sha256(lostToken))?.person == "anna")
        let page = try #require(try await store.crisis(kept.crisis.reference)?.pages.first)
        #expect(page.id == lost.id && page.status == "pending" && page.attempts == 1, "untouched by the lost attempt")

        try await store.finishAttempt(kept, outcome: .delivered(detail: "HTTP 200"), decision: .done, at: t0)
        #expect(try await store.crisis(kept.crisis.reference)?.pages.first?.status == "delivered")
        let kinds = try await store.journal().map(\.kind)
        #expect(kinds.filter { $0 == .pageDelivered }.count == 1)
    }
}
