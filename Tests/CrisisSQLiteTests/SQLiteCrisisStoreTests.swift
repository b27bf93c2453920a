import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import GRDB
import Testing

@testable import CrisisSQLite

/// The store on a real SQLite file in a temporary folder.
@Suite struct SQLiteCrisisStoreTests {
    let folder = TestFolder.unique("store")
    var path: String { folder.appendingPathComponent("crisisd.sqlite").path }
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    let retry = RetryPolicy(maxAttempts: 3, initialBackoff: 2, maxBackoff: 300)

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Claims due pages as the sender does, with room for all of them.
    func claim(_ store: SQLiteCrisisStore, at now: Date, excluding inFlight: Set<Int64> = []) async throws
        -> [OutboundPage]
    {
        try await store.claimDuePages(at: now, retry: retry, excluding: inFlight, limit: 100, retryLimit: 100).pages
    }

    func draft(_ reference: String, key: String? = nil, pages: Int = 1, receivedAt: Date? = nil) -> CrisisDraft {
        let t0 = receivedAt ?? self.t0
        let ref = CrisisReference(parsing: reference)!
        let intake = Intake(
            category: .violence, site: "Depot", callback: "+4512345678", requesterName: "Jens Jensen",
            note: "hit on the head")
        return CrisisDraft(
            reference: ref, intake: intake, source: "requester:albertslund", idempotencyKey: key, receivedAt: t0,
            assigned: ["anna"], noOneOnDuty: false,
            clocks: ClockPolicy().startClocks(firstContact: t0, group: false),
            progress: EscalationProgress(nextAt: t0 + 300),
            pages: (0..<pages).map { CrisisDraft.Page(person: "anna", channel: "pages-\($0)", step: 1) },
            journal: [JournalEntry(at: t0, reference: ref, kind: .crisisReceived, actor: "requester:albertslund")])
    }

    /// A database written before v2 (no `next_deadline_at`) is opened by today's store: the
    /// migration fills each crisis's next deadline, so the engine finds what is due at once.
    @Test func aVersion1DatabaseGetsItsCrisesNextDeadlinesFromTheMigration() async throws {
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v1: crises, clocks, pages, journal")
        try await queue.write { db in
            let columns = """
                INSERT INTO crisis (id, reference, category, site, callback, requester_role, source, is_group, drill,
                    received_at, status, next_escalation_at, assigned, no_one_on_duty) VALUES
                """
            // 1: open, its next step at +300 s. 2: acknowledged, its contact warning at +2700 s.
            // 3: resolved, with a clock somehow left running: it is never due.
            try db.execute(
                sql: columns + """
                    (1, 'CR-2222', 'death', 'Depot', '+4512345678', 'leader', 'crisisctl', 0, 0, ?, 'open', ?, 'anna', 0),
                    (2, 'CR-3333', 'death', 'Depot', '+4512345678', 'leader', 'crisisctl', 0, 0, ?, 'acknowledged', NULL, 'anna', 0),
                    (3, 'CR-4444', 'death', 'Depot', '+4512345678', 'leader', 'crisisctl', 0, 0, ?, 'resolved', NULL, 'anna', 0)
                    """,
                arguments: [t0, t0 + 300, t0, t0])
            try db.execute(
                sql: """
                    INSERT INTO clock (crisis_id, kind, started_at, due_at, warn_at, outcome) VALUES
                    (1, 'contact', ?, ?, ?, NULL), (2, 'ack', ?, ?, NULL, 'met'), (2, 'contact', ?, ?, ?, NULL),
                    (3, 'contact', ?, ?, NULL, NULL)
                    """,
                arguments: [t0, t0 + 3600, t0 + 2700, t0, t0 + 300, t0, t0 + 3600, t0 + 2700, t0, t0 + 60])
        }
        try queue.close()

        let store = try SQLiteCrisisStore(path: path)
        #expect(try await store.nextDeadline() == t0 + 300)
        #expect(try await store.crisesDue(at: t0 + 299) == [])
        #expect(try await store.crisesDue(at: t0 + 300) == [1])
        #expect(try await store.crisesDue(at: t0 + 2700) == [1, 2])
    }

    /// After a rollback an older crisisd writes crises without `next_deadline_at`, and leaves a
    /// stale one on crises it acknowledges: neither may keep a crisis from escalating, or keep
    /// the engine waking for nothing.
    @Test func deadlinesMissingOrStaleAfterARollbackAreMended() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-2A2A"))
        try await store.pool.write { db in try db.execute(sql: "UPDATE crisis SET next_deadline_at = NULL") }
        #expect(try await store.nextDeadline() == nil)
        let reopened = try SQLiteCrisisStore(path: path)
        #expect(try await reopened.nextDeadline() == t0 + 300, "the next step, found again at open")

        // A deadline long past that the crisis no longer has: the engine's look mends it.
        try await reopened.pool.write { db in
            try db.execute(sql: "UPDATE crisis SET next_deadline_at = ?", arguments: [t0 - 60])
        }
        #expect(try await reopened.crisesDue(at: t0) == [1])
        _ = try await reopened.update(CrisisReference(parsing: "CR-2A2A")!, at: t0) { _, _ in nil }
        #expect(try await reopened.crisesDue(at: t0) == [])
        #expect(try await reopened.nextDeadline() == t0 + 300)
    }

    /// The crisis an intake answers with is the crisis a read of it gives: the same clocks in
    /// the same order, the same pages, and instants as the database keeps them (to the
    /// millisecond), though the intake does not read back what it wrote.
    @Test func anIntakeAnswersWithTheCrisisAsAReadOfItGives() async throws {
        let store = try SQLiteCrisisStore(path: path)
        // Rounded to the millisecond, this instant is in the next second.
        let receivedAt = t0 + 0.9996
        var clocks = Array(ClockPolicy().startClocks(firstContact: receivedAt, group: false).reversed())
        clocks[1].dueAt = clocks[0].dueAt + 0.0001234  // the same millisecond: then by name
        var draft = draft("CR-7K4P", receivedAt: receivedAt)
        draft.clocks = clocks
        draft.progress = EscalationProgress(step: 1, round: 0, nextAt: receivedAt + 299.0004)
        draft.pages = [
            CrisisDraft.Page(person: "anna", channel: "hook", step: 1),
            CrisisDraft.Page(person: "anna", channel: "sms", step: 1, held: true),
            CrisisDraft.Page(person: "bo", channel: "sms", step: 1, after: 60.0007),
        ]
        let claim = ImmediateClaim(channels: ["hook"], retry: retry, ackLinksValidFor: 3600)
        let recorded = try await store.record(draft, claiming: claim)
        guard case .created(let view) = recorded.result else {
            Issue.record("expected a new crisis")
            return
        }
        #expect(recorded.claimed.count == 1)
        #expect(view.pages.map(\.attempts) == [1, 0, 0])
        let read = try #require(try await store.crisis(draft.reference))
        #expect(view == read)
        #expect(recorded.claimed.first?.crisis.receivedAt == read.receivedAt)
        #expect(recorded.claimed.first?.crisis.clocks == read.clocks)
    }

    @Test func aRecordedCrisisComesBackWithItsClocksPagesAndJournal() async throws {
        let store = try SQLiteCrisisStore(path: path)
        guard case .created(let view) = try await store.record(draft("CR-7K4P", pages: 2)) else {
            Issue.record("expected a new crisis")
            return
        }
        #expect(view.reference.rawValue == "CR-7K4P")
        #expect(view.clocks.map(\.kind) == ["ack", "contact", "onsite"])
        #expect(view.clocks.first { $0.kind == "contact" }?.dueAt == t0 + 3600)
        #expect(view.pages.count == 2 && view.pages.allSatisfy { $0.status == "pending" })
        #expect(try await store.journal(reference: view.reference).map(\.kind) == [.crisisReceived])
        // Reopening the file finds it all again.
        let reopened = try SQLiteCrisisStore(path: path)
        #expect(try await reopened.crisis(view.reference) == view)
    }

    @Test func theSameIdempotencyKeyReturnsTheFirstCrisisAndWritesNothing() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P", key: "k-1"))
        guard case .existing(let view) = try await store.record(draft("CR-9XYZ", key: "k-1")) else {
            Issue.record("a repeated key must not create a crisis")
            return
        }
        #expect(view.reference.rawValue == "CR-7K4P")
        #expect(try await store.count() == 1)
        #expect(try await store.journal().count == 1)
    }

    @Test func aKeyReusedForADifferentReportIsRefusedNamingTheFirstCrisis() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P", key: "k-1"))
        var other = draft("CR-9XYZ", key: "k-1")
        other.intake.site = "Another site"
        await #expect(throws: StoreError.idempotencyKeyReused(existing: CrisisReference(parsing: "CR-7K4P")!)) {
            try await store.record(other)
        }
        #expect(try await store.count() == 1)
    }

    @Test func aTakenReferenceIsRefusedSoTheCallerPicksAnother() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        await #expect(throws: StoreError.referenceTaken) { try await store.record(draft("CR-7K4P")) }
        #expect(try await store.count() == 1)
    }

    @Test func theJournalRefusesUpdateAndDelete() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        let queue = try DatabaseQueue(path: path)
        await #expect(throws: (any Error).self) {
            try await queue.write { try $0.execute(sql: "UPDATE journal SET actor = 'someone else'") }
        }
        await #expect(throws: (any Error).self) { try await queue.write { try $0.execute(sql: "DELETE FROM journal") } }
        #expect(try await store.journal().first?.actor == "requester:albertslund")
    }

    @Test func personalDataIsKeptApartFromTheCrisisRow() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        let queue = try DatabaseQueue(path: path)
        let crisisRow = try await queue.read { try Row.fetchOne($0, sql: "SELECT * FROM crisis")! }
        #expect(!crisisRow.description.contains("Jens"))
        let personal = try await queue.read {
            try Row.fetchOne($0, sql: "SELECT requester_name, note FROM crisis_personal")!
        }
        #expect(personal["requester_name"] as String? == "Jens Jensen")
        #expect(personal["note"] as String? == "hit on the head")
    }

    @Test func anAcknowledgementMeetsTheAckClockCancelsPendingPagesAndTheFirstOneStands() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P", pages: 2))
        let reference = CrisisReference(parsing: "CR-7K4P")!
        let receipt = try #require(try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 60))
        #expect(receipt.cancelledPages == 2)
        #expect(!receipt.alreadyAcknowledged)
        let view = try #require(try await store.crisis(reference))
        #expect(view.status == .acknowledged)
        #expect(view.clocks.first { $0.kind == "ack" }?.outcome == .met)
        #expect(view.clocks.first { $0.kind == "contact" }?.outcome == nil, "contact is met by a milestone, not an ack")
        #expect(view.pages.allSatisfy { $0.status == "cancelled" })
        #expect(try await claim(store, at: t0 + 3600).isEmpty)

        let second = try #require(try await store.acknowledge(reference, by: "bo", actor: "crisisctl", at: t0 + 120))
        #expect(second.alreadyAcknowledged && second.acknowledgedBy == "anna")
        #expect(try await store.acknowledge(CrisisReference(parsing: "CR-2222")!, by: "x", actor: "y", at: t0) == nil)
    }

    @Test func aLateAcknowledgementRecordsTheAckClockAsBreached() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        let reference = CrisisReference(parsing: "CR-7K4P")!
        _ = try await store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 301)
        let ack = try #require(try await store.crisis(reference)?.clocks.first { $0.kind == "ack" })
        #expect(ack.outcome == .breached)
        #expect(ack.endedAt == t0 + 300, "a breach is recorded at the deadline, not at the late acknowledgement")
    }

    @Test func theOutboxHandsOutDuePagesAndFollowsTheRetryDecision() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        #expect(try await store.nextPageDue() == t0)
        let page = try #require(try await claim(store, at: t0).first)
        #expect(page.attempt == 1)
        #expect(
            try await claim(store, at: t0 + 2, excluding: [page.id]).isEmpty, "a page in flight is not handed out twice"
        )

        try await store.finishAttempt(
            page, outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 3), at: t0 + 1)
        #expect(try await claim(store, at: t0 + 2).isEmpty)
        #expect(try await store.nextPageDue() == t0 + 3)
        let retry = try #require(try await claim(store, at: t0 + 3).first)
        #expect(retry.attempt == 2)

        try await store.finishAttempt(retry, outcome: .delivered(detail: "HTTP 200"), decision: .done, at: t0 + 3)
        #expect(try await store.nextPageDue() == nil)
        #expect(try await store.crisis(retry.crisis.reference)?.pages.first?.status == "delivered")
        let kinds = try await store.journal().map(\.kind)
        #expect(
            kinds == [
                .crisisReceived, .pageAttempted, .pageFailed, .pageRetryScheduled, .pageAttempted, .pageDelivered,
            ])
    }

    @Test func aPageCancelledWhileInFlightIsNotRescheduled() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        let page = try #require(try await claim(store, at: t0).first)
        _ = try await store.acknowledge(page.crisis.reference, by: "anna", actor: "crisisctl", at: t0)
        try await store.finishAttempt(
            page, outcome: .failed(retryable: true, reason: "timeout"), decision: .retry(at: t0 + 2), at: t0)
        #expect(try await store.nextPageDue() == nil)
        #expect(try await store.crisis(page.crisis.reference)?.pages.first?.status == "cancelled")
    }

    @Test func aClaimedAttemptIsOnDiskBeforeTheSendSoAfterACrashThePageIsRetriedAtItsBackoff() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        let page = try #require(try await claim(store, at: t0).first)
        #expect(page.attempt == 1)
        #expect(try await store.journal().map(\.kind) == [.crisisReceived, .pageAttempted])

        // The daemon dies with the request out and no outcome recorded; a new one opens the file.
        let reopened = try SQLiteCrisisStore(path: path)
        #expect(try await reopened.crisis(page.crisis.reference)?.pages.first?.attempts == 1)
        #expect(try await reopened.nextPageDue() == t0 + 2, "due again after the first backoff, not at once")
        #expect(try await claim(reopened, at: t0 + 1.9).isEmpty)
        let again = try #require(try await claim(reopened, at: t0 + 2).first)
        #expect(again.id == page.id)
        #expect(again.attempt == 2)
        #expect(try await reopened.nextPageDue() == t0 + 2 + 4)
    }

    @Test func aPageWhoseAttemptsAreSpentWithNoOutcomeIsMarkedFailedAndNotSentAgain() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        // Three attempts, each cut short by a crash before its outcome was recorded.
        #expect(try await claim(store, at: t0).map(\.attempt) == [1])
        #expect(try await claim(SQLiteCrisisStore(path: path), at: t0 + 2).map(\.attempt) == [2])
        #expect(try await claim(SQLiteCrisisStore(path: path), at: t0 + 6).map(\.attempt) == [3])

        let reopened = try SQLiteCrisisStore(path: path)
        #expect(try await reopened.nextPageDue() == t0 + 6 + 8)
        let last = try await reopened.claimDuePages(at: t0 + 14, retry: retry, limit: 100, retryLimit: 100)
        #expect(last.pages.isEmpty, "max_attempts = 3: no fourth send")
        #expect(last.givenUp.map(\.page.attempt) == [3])
        let reference = CrisisReference(parsing: "CR-7K4P")!
        let view = try #require(try await reopened.crisis(reference)?.pages.first)
        #expect(view.status == "failed")
        #expect(view.lastError == "gave up after 3 attempts with no delivery recorded")
        #expect(try await reopened.nextPageDue() == nil)
        let journal = try await reopened.journal(reference: reference)
        #expect(journal.map(\.kind) == [.crisisReceived, .pageAttempted, .pageAttempted, .pageAttempted, .pageGaveUp])
        #expect(journal.last?.data["reason"] == "gave up after 3 attempts with no delivery recorded")
    }

    @Test func retriesTakeOnlyTheirShareOfPlacesSoABacklogOfThemCannotHoldBackANewPage() async throws {
        let store = try SQLiteCrisisStore(path: path)
        for reference in ["CR-2A2A", "CR-3B3B", "CR-4C4C"] {
            _ = try await store.record(draft(reference))
        }
        for page in try await claim(store, at: t0) {
            try await store.finishAttempt(
                page, outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 2), at: t0)
        }
        // Long after the retries fell due, two new crises come in.
        _ = try await store.record(draft("CR-5D5D", receivedAt: t0 + 600))
        _ = try await store.record(draft("CR-6E6E", receivedAt: t0 + 600))
        let first = try await store.claimDuePages(at: t0 + 600, retry: retry, limit: 2, retryLimit: 1).pages
        #expect(first.map(\.crisis.reference.rawValue) == ["CR-2A2A", "CR-5D5D"], "one retry, then the new page")
        #expect(first.map(\.attempt) == [2, 1])
        // With room for a retry, the retries due long ago still come before a newer page.
        let next = try await store.claimDuePages(
            at: t0 + 600, retry: retry, excluding: Set(first.map(\.id)), limit: 1, retryLimit: 1
        ).pages
        #expect(next.map(\.crisis.reference.rawValue) == ["CR-3B3B"])
        // With no room for retries, only new pages go.
        let noRetries = try await store.claimDuePages(
            at: t0 + 600, retry: retry, excluding: Set((first + next).map(\.id)), limit: 5, retryLimit: 0
        ).pages
        #expect(noRetries.map(\.crisis.reference.rawValue) == ["CR-6E6E"])
    }

    /// A crisis the store cannot read (written by a newer crisisd, or edited by hand) must not
    /// hold back every other crisis's pages: its page is set aside for a minute, then tried again.
    @Test func aPageOfAnUnreadableCrisisIsSetAsideAndEveryOtherPageStillGoesOut() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-2A2A"))
        _ = try await store.record(draft("CR-3B3B"))
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE crisis SET category = 'weather' WHERE reference = 'CR-2A2A'")
        }
        let claim = try await store.claimDuePages(
            at: t0 + 1, retry: RetryPolicy(maxAttempts: 3), limit: 16, retryLimit: 8)
        #expect(claim.pages.map(\.crisis.reference.rawValue) == ["CR-3B3B"])
        #expect(claim.setAside.map(\.reason) == [#"crisis row 1: unknown category "weather""#])
        let sent = try #require(claim.pages.first)
        try await store.finishAttempt(sent, outcome: .delivered(detail: "200"), decision: .done, at: t0 + 1)
        // Not lost: still pending, due again in a minute, and sent once the row is mended.
        #expect(try await store.nextPageDue() == t0 + 61)
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE crisis SET category = 'violence' WHERE reference = 'CR-2A2A'")
        }
        let later = try await store.claimDuePages(
            at: t0 + 61, retry: RetryPolicy(maxAttempts: 3), limit: 16, retryLimit: 8)
        #expect(later.pages.map(\.crisis.reference.rawValue) == ["CR-2A2A"])
        #expect(later.pages.first?.attempt == 1, "setting a page aside spends none of its attempts")
    }

    @Test func theDatabaseRunsInWALAndIsSound() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = store
        let queue = try DatabaseQueue(path: path)
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try await store.integrityCheck() == "ok")
    }
}
