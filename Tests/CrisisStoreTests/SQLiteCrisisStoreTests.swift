import CrisisCore
@testable import CrisisStore
import Foundation
import GRDB
import Testing

/// The store on a real SQLite file in a temporary folder.
@Suite struct SQLiteCrisisStoreTests {
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("store-\(UUID().uuidString.prefix(8))")
    var path: String { folder.appendingPathComponent("crisisd.sqlite").path }
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func draft(_ reference: String, key: String? = nil, pages: Int = 1) -> CrisisDraft {
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

    /// GRDB's pool sets `synchronous = NORMAL` when it turns WAL on, after `prepareDatabase`: the
    /// writer must still commit with FULL (2), or a power cut loses crises answered "received".
    @Test func theWriterConnectionCommitsWithSynchronousFullAfterOpenAndAfterACheckpoint() throws {
        let store = try SQLiteCrisisStore(path: path)
        #expect(try store.writerSynchronousLevel() == 2)
        _ = try store.record(draft("CR-7K4P"))
        try store.checkpoint()
        #expect(try store.writerSynchronousLevel() == 2)
        // And on a file that already existed, as after a restart.
        let reopened = try SQLiteCrisisStore(path: path)
        #expect(try reopened.writerSynchronousLevel() == 2)
    }

    @Test func aRecordedCrisisComesBackWithItsClocksPagesAndJournal() throws {
        let store = try SQLiteCrisisStore(path: path)
        guard case .created(let view) = try store.record(draft("CR-7K4P", pages: 2)) else {
            Issue.record("expected a new crisis")
            return
        }
        #expect(view.reference.rawValue == "CR-7K4P")
        #expect(view.clocks.map(\.kind) == [.ack, .contact, .onsite])
        #expect(view.clocks.first { $0.kind == .contact }?.dueAt == t0 + 3600)
        #expect(view.pages.count == 2 && view.pages.allSatisfy { $0.status == "pending" })
        #expect(try store.journal(reference: view.reference).map(\.kind) == [.crisisReceived])
        // Reopening the file finds it all again.
        let reopened = try SQLiteCrisisStore(path: path)
        #expect(try reopened.crisis(view.reference) == view)
    }

    @Test func theSameIdempotencyKeyReturnsTheFirstCrisisAndWritesNothing() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P", key: "k-1"))
        guard case .existing(let view) = try store.record(draft("CR-9XYZ", key: "k-1")) else {
            Issue.record("a repeated key must not create a crisis")
            return
        }
        #expect(view.reference.rawValue == "CR-7K4P")
        #expect(try store.count() == 1)
        #expect(try store.journal().count == 1)
    }

    @Test func aKeyReusedForADifferentReportIsRefusedNamingTheFirstCrisis() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P", key: "k-1"))
        var other = draft("CR-9XYZ", key: "k-1")
        other.intake.site = "Another site"
        #expect(throws: StoreError.idempotencyKeyReused(existing: CrisisReference(parsing: "CR-7K4P")!)) {
            try store.record(other)
        }
        #expect(try store.count() == 1)
    }

    @Test func aTakenReferenceIsRefusedSoTheCallerPicksAnother() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P"))
        #expect(throws: StoreError.referenceTaken) { try store.record(draft("CR-7K4P")) }
        #expect(try store.count() == 1)
    }

    @Test func theJournalRefusesUpdateAndDelete() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P"))
        let queue = try DatabaseQueue(path: path)
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE journal SET actor = 'someone else'") } }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM journal") } }
        #expect(try store.journal().first?.actor == "requester:albertslund")
    }

    @Test func personalDataIsKeptApartFromTheCrisisRow() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P"))
        let queue = try DatabaseQueue(path: path)
        let crisisRow = try queue.read { try Row.fetchOne($0, sql: "SELECT * FROM crisis")! }
        #expect(!crisisRow.description.contains("Jens"))
        let personal = try queue.read { try Row.fetchOne($0, sql: "SELECT requester_name, note FROM crisis_personal")! }
        #expect(personal["requester_name"] as String? == "Jens Jensen")
        #expect(personal["note"] as String? == "hit on the head")
    }

    @Test func anAcknowledgementMeetsTheAckClockCancelsPendingPagesAndTheFirstOneStands() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P", pages: 2))
        let reference = CrisisReference(parsing: "CR-7K4P")!
        let receipt = try #require(try store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 60))
        #expect(receipt.cancelledPages == 2)
        #expect(!receipt.alreadyAcknowledged)
        let view = try #require(try store.crisis(reference))
        #expect(view.status == .acknowledged)
        #expect(view.clocks.first { $0.kind == .ack }?.outcome == .met)
        #expect(view.clocks.first { $0.kind == .contact }?.outcome == nil, "contact is met by a milestone, not an ack")
        #expect(view.pages.allSatisfy { $0.status == "cancelled" })
        #expect(try store.duePages(at: t0 + 3600).isEmpty)

        let second = try #require(try store.acknowledge(reference, by: "bo", actor: "crisisctl", at: t0 + 120))
        #expect(second.alreadyAcknowledged && second.acknowledgedBy == "anna")
        #expect(try store.acknowledge(CrisisReference(parsing: "CR-2222")!, by: "x", actor: "y", at: t0) == nil)
    }

    @Test func aLateAcknowledgementRecordsTheAckClockAsBreached() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P"))
        let reference = CrisisReference(parsing: "CR-7K4P")!
        _ = try store.acknowledge(reference, by: "anna", actor: "crisisctl", at: t0 + 301)
        let ack = try #require(try store.crisis(reference)?.clocks.first { $0.kind == .ack })
        #expect(ack.outcome == .breached)
        #expect(ack.endedAt == t0 + 300, "a breach is recorded at the deadline, not at the late acknowledgement")
    }

    @Test func theOutboxHandsOutDuePagesAndFollowsTheRetryDecision() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P"))
        #expect(try store.nextPageDue() == t0)
        let page = try #require(try store.duePages(at: t0).first)
        #expect(page.attempt == 1)
        #expect(try store.duePages(at: t0, excluding: [page.id]).isEmpty, "a page in flight is not handed out twice")

        try store.beginAttempt(page, at: t0)
        try store.finishAttempt(page, outcome: .failed(retryable: true, reason: "HTTP 503"), decision: .retry(at: t0 + 2), at: t0)
        #expect(try store.duePages(at: t0 + 1).isEmpty)
        #expect(try store.nextPageDue() == t0 + 2)
        let retry = try #require(try store.duePages(at: t0 + 2).first)
        #expect(retry.attempt == 2)

        try store.finishAttempt(retry, outcome: .delivered(detail: "HTTP 200"), decision: .done, at: t0 + 2)
        #expect(try store.nextPageDue() == nil)
        #expect(try store.crisis(retry.crisis.reference)?.pages.first?.status == "delivered")
        let kinds = try store.journal().map(\.kind)
        #expect(kinds == [.crisisReceived, .pageAttempted, .pageFailed, .pageRetryScheduled, .pageDelivered])
    }

    @Test func aPageCancelledWhileInFlightIsNotRescheduled() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try store.record(draft("CR-7K4P"))
        let page = try #require(try store.duePages(at: t0).first)
        _ = try store.acknowledge(page.crisis.reference, by: "anna", actor: "crisisctl", at: t0)
        try store.finishAttempt(page, outcome: .failed(retryable: true, reason: "timeout"), decision: .retry(at: t0 + 2), at: t0)
        #expect(try store.nextPageDue() == nil)
        #expect(try store.crisis(page.crisis.reference)?.pages.first?.status == "cancelled")
    }

    @Test func theDatabaseRunsInWALWithFullSync() throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = store
        let queue = try DatabaseQueue(path: path)
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try store.integrityCheck() == "ok")
    }
}
