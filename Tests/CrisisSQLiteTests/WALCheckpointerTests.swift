import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import GRDB
import Testing

@testable import CrisisSQLite

/// The write-ahead log is copied back into the database on a thread of its own: no commit (an
/// intake answered, a pass of the engine) waits for a checkpoint.
@Suite struct WALCheckpointerTests {
    let path = TestFolder.unique("wal", suffix: ".sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    /// Pages in the log file, whether checkpointed or not: it grows while none can restart it.
    func walPages() throws -> Int {
        let size = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        return max(0, size - 32) / (4096 + 24)
    }

    /// A connection in a read transaction, left open: the log cannot be copied past what it
    /// reads until it commits (`COMMIT` on it).
    func readerHoldingItsSnapshot() async throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        try await reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN DEFERRED")
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM crisis")
        }
        return reader
    }

    func draft(_ n: Int) -> CrisisDraft {
        let alphabet = CrisisReference.alphabet
        let body = String((0..<4).map { alphabet[(n / Int(pow(Double(alphabet.count), Double($0)))) % alphabet.count] })
        let reference = CrisisReference(parsing: "CR-\(body)")!
        return CrisisDraft(
            reference: reference,
            intake: Intake(
                category: .violence, site: "Site \(n)", callback: "+4512345678",
                note: String(repeating: "x", count: 3000)),
            source: "crisisctl", idempotencyKey: nil, receivedAt: t0, assigned: ["anna"], noOneOnDuty: false,
            clocks: ClockPolicy().startClocks(firstContact: t0, group: false),
            progress: EscalationProgress(nextAt: t0 + 300), pages: [],
            journal: [JournalEntry(at: t0, reference: reference, kind: .crisisReceived, actor: "crisisctl")])
    }

    @Test func commitsPastTheLogsLimitLeaveTheCheckpointToTheCheckpointer() async throws {
        let store = try SQLiteCrisisStore(path: path)
        // The checkpointer held: were commits to checkpoint themselves, the log would restart
        // each thousand pages instead of growing.
        let gate = DispatchSemaphore(value: 0)
        store.checkpointer.queue.async { gate.wait() }
        var n = 0
        while try walPages() < 2 * Int(WALCheckpointer.pagesBeforeCheckpoint) {
            n += 1
            _ = try await store.record(draft(n), claiming: nil)
            try #require(n < 3_000, "the log never grew past two thousand pages")
        }
        #expect(store.checkpointer.checkpoints == 0)
        gate.signal()
        let deadline = Date() + 20
        while store.checkpointer.checkpoints == 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(store.checkpointer.checkpoints >= 1, "no checkpoint ran once the checkpointer was free")
        // Everything written is there, checkpointed or not.
        #expect(try await store.count() == n)
    }

    @Test func aLogThatCannotRestartIsCheckpointedOncePerThousandPagesNotAfterEveryCommit() async throws {
        let store = try SQLiteCrisisStore(path: path)
        // A reader that keeps its snapshot open keeps the log from restarting, as a writer that
        // never pauses does: were every commit past the limit to ask, each would cost a
        // checkpoint and its two syncs while the log grows anyway.
        let reader = try await readerHoldingItsSnapshot()
        var n = 0
        while try walPages() < 3 * Int(WALCheckpointer.pagesBeforeCheckpoint) {
            n += 1
            _ = try await store.record(draft(n), claiming: nil)
            try #require(n < 5_000, "the log never grew past three thousand pages")
        }
        store.checkpointer.queue.sync {}
        #expect(n > 100, "too few commits to tell: \(n)")
        #expect(store.checkpointer.checkpoints <= 3, "\(store.checkpointer.checkpoints) checkpoints for \(n) commits")
        try await reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
    }

    @Test func theWriterCopiesWhatACheckpointLeftSoThatTheLogRestarts() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let gate = DispatchSemaphore(value: 0)
        store.checkpointer.queue.async { gate.wait() }
        var n = 0
        while try walPages() < Int(WALCheckpointer.pagesBeforeCheckpoint) {
            n += 1
            _ = try await store.record(draft(n), claiming: nil)
        }
        // What commits while the checkpointer runs is more than it can copy: a reader that holds
        // the state before them stands in for commits that land during its run.
        let reader = try await readerHoldingItsSnapshot()
        for _ in 0..<5 {
            n += 1
            _ = try await store.record(draft(n), claiming: nil)
        }
        gate.signal()
        store.checkpointer.queue.sync {}
        try await reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        #expect(store.checkpointer.checkpoints == 1)
        // The next commit is followed by the writer's copy of the rest; the one after restarts
        // the log from its start instead of lengthening it.
        for _ in 0..<2 {
            n += 1
            _ = try await store.record(draft(n), claiming: nil)
        }
        let logLength = try await reader.writeWithoutTransaction { db in try db.checkpoint(.passive).walFrameCount }
        #expect(logLength < 100, "the log is \(logLength) pages long: it did not restart")
        #expect(try await store.count() == n)
    }
}
