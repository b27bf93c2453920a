import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import Synchronization
import Testing

@testable import CrisisSQLite

/// A write is answered only once its commit is synced to disk, by a thread that is not the
/// writer's: the writer goes on with the next transaction meanwhile, and a failed sync fails its
/// writes and refuses every write after it until a restart.
@Suite struct CommitSyncTests {
    let path = TestFolder.unique("sync", suffix: ".sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func draft(_ reference: String) -> CrisisDraft {
        .sample(CrisisReference(parsing: reference)!, at: t0)
    }

    /// A log whose syncs wait for the test, and fail once told to.
    final class HeldLog: LogSync {
        private let state = Mutex((entered: 0, released: 0, failFrom: Int.max))
        struct DiskFailed: Error {}

        /// The next syncs wait until `release()`.
        func sync() throws {
            let call = state.withLock { state in
                state.entered += 1
                return state.entered
            }
            while state.withLock({ $0.released < call }) { usleep(1000) }
            if state.withLock({ call >= $0.failFrom }) { throw DiskFailed() }
        }

        var entered: Int { state.withLock { $0.entered } }
        /// Lets every sync entered so far, and the next `count - entered`, return.
        func release(upTo count: Int) { state.withLock { $0.released = count } }
        /// Syncs from the `call`th on fail.
        func fail(from call: Int) { state.withLock { $0.failFrom = call } }
    }

    /// Waits until `condition` holds; gives up after 20 seconds (measured on the monotonic clock).
    func waitUntil(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Records whether a task has been answered.
    final class Answered: Sendable {
        private let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        var value: Bool { flag.withLock { $0 } }
    }

    @Test func aCrisisIsAnsweredOnlyOnceItsCommitIsSyncedAndTheWriterCommitsTheNextMeanwhile() async throws {
        let log = HeldLog()
        log.release(upTo: 1)  // the store's own sync when it opens
        let store = try SQLiteCrisisStore(path: path, log: { _ in log })
        let other = try SQLiteCrisisStore(path: path)

        let firstAnswered = Answered()
        let first = Task {
            defer { firstAnswered.set() }
            return try await store.record(draft("CR-7K4P"))
        }
        try await waitUntil { log.entered >= 2 }
        // The first is committed (another connection reads it) but not answered: its sync waits.
        #expect(try await other.crisis(CrisisReference(parsing: "CR-7K4P")!) != nil)
        #expect(!firstAnswered.value)

        // The writer is not held by the sync: the next write commits while it waits.
        let secondAnswered = Answered()
        let second = Task {
            defer { secondAnswered.set() }
            return try await store.record(draft("CR-8M3Q"))
        }
        try await waitUntil { try await other.crisis(CrisisReference(parsing: "CR-8M3Q")!) != nil }
        #expect(!firstAnswered.value && !secondAnswered.value)

        log.release(upTo: 2)
        _ = try await first.value
        try await waitUntil { log.entered >= 3 }
        #expect(!secondAnswered.value, "the second commit waits for a sync of its own, begun after it")
        log.release(upTo: 3)
        _ = try await second.value
        #expect(store.writer.syncer.syncs == 2)
    }

    @Test func aFailedSyncFailsItsCrisisAndEveryWriteAfterItAndThePingUntilTheStoreIsOpenedAgain() async throws {
        let log = HeldLog()
        log.release(upTo: .max)
        log.fail(from: 2)
        let store = try SQLiteCrisisStore(path: path, log: { _ in log })

        await #expect(throws: WritesRefused.self) { try await store.record(draft("CR-7K4P")) }
        // Nothing more is written, nor synced, on a log that may have lost what it held.
        await #expect(throws: WritesRefused.self) { try await store.record(draft("CR-8M3Q")) }
        #expect(log.entered == 2)
        let ping = await #expect(throws: WritesRefused.self) { try await store.ping() }
        #expect(ping?.description.contains("refuses every write until it is restarted") == true)

        // A restart reads what is on disk, and writes again.
        let reopened = try SQLiteCrisisStore(path: path)
        #expect(try await reopened.crisis(CrisisReference(parsing: "CR-8M3Q")!) == nil)
        guard case .created = try await reopened.record(draft("CR-9N2R")) else {
            Issue.record("the reopened store did not record the crisis")
            return
        }
        try await reopened.ping()
    }

    /// The real log: the descriptor synced is the database's own `-wal` file, and the writer
    /// connection still syncs its checkpoints and the log's restart (NORMAL, not OFF).
    @Test func theStoreSyncsItsDatabasesOwnLogAndTheWriterNeverTurnsSyncingOff() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft("CR-7K4P"))
        let log = try WALFileSync(databasePath: path)
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(log.descriptor)")
        #expect(target == URL(fileURLWithPath: path + "-wal").resolvingSymlinksInPath().path)
        try log.sync()
        #expect(try store.writerSynchronousLevel() == 1)
        try store.checkpoint()
        #expect(try store.writerSynchronousLevel() == 1)
        #expect(throws: LogSyncFailed.self) { try WALFileSync(databasePath: path + ".absent") }
    }
}
