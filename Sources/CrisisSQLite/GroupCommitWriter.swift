import CrisisStorage
import Foundation
import GRDB
import Synchronization

/// The one way a `SQLiteCrisisStore` writes: writes queue here and are committed by GRDB's single
/// writer connection. Writes that arrive while a commit is under way go into the next transaction
/// together (group commit), committed on a queue of the writer's own, off Swift's cooperative
/// pool; and the commits are synced to disk by `CommitSyncer`, one sync for all those waiting,
/// while the writer goes on: a burst of intakes costs a few syncs, not one each.
///
/// An intake that finds the writer idle commits on its caller's thread (`onCallerIfIdle`): a
/// crisis reported alone spares its page the hand-over to the writer's queue (a wake-up, tens
/// of microseconds on a VM). Only that one transaction runs there, a few statements (the sync to
/// disk is the syncer's); what queued meanwhile, a retry after it failed and the log's tail
/// checkpoint go on on the writer's queue. (Should another process hold the database's write
/// lock, that caller's thread waits for it as the writer's queue would, up to the busy timeout.)
///
/// Each write runs in a savepoint of its own, so one that fails (a reference taken, a key reused)
/// undoes only itself; each caller is answered once the transaction that holds its write has
/// committed and been synced to disk, or with the commit's or the sync's error.
final class GroupCommitWriter: Sendable {
    /// Writes per transaction at most, so one commit after a long queue stays short.
    static let batchLimit = 256
    /// How long a write that may wait (`write(mayWait:)`) waits for company before it commits alone.
    private let companyWait: DispatchTimeInterval

    private let pool: DatabasePool
    /// Where transactions are committed, one after another, but for an intake's that found the
    /// writer idle. GRDB's synchronous write runs on this queue's thread: no hop to GRDB's own
    /// queue and back on the way to disk.
    private let queue = DispatchQueue(label: "crisisd.group-commit", qos: .userInitiated)
    /// Leaves the writer the end of each checkpoint, so that the log restarts (`WALCheckpointer`).
    private let checkpointer: WALCheckpointer?
    /// Syncs what was committed, then answers.
    let syncer: CommitSyncer
    private let state = Mutex(State())
    /// Told how long each transaction took to commit and be synced to disk, or to fail.
    private let commitTimed: (@Sendable (Duration) -> Void)?

    private struct State {
        var waiting: [PendingWrite] = []
        var committing = false
        /// A commit is due once `companyWait` has passed, for writes that may wait.
        var startScheduled = false
        var commits = 0
    }

    /// Transactions committed (or tried) so far: how much grouping there was.
    var commits: Int { state.withLock { $0.commits } }

    /// - Parameter log: syncs the commits of `pool`'s writer connection to disk, which commits
    ///   without syncing (`synchronous = NORMAL`).
    init(
        pool: DatabasePool, log: any LogSync, checkpointer: WALCheckpointer? = nil,
        companyWait: DispatchTimeInterval = .milliseconds(2), commitTimed: (@Sendable (Duration) -> Void)? = nil
    ) {
        self.pool = pool
        syncer = CommitSyncer(log: log)
        self.checkpointer = checkpointer
        self.companyWait = companyWait
        self.commitTimed = commitTimed
    }

    /// Commits `work` in the next transaction; answers once it committed.
    ///
    /// - Parameter mayWait: the write is no one's answer (a page's outcome, recorded after its
    ///   request): with nothing else to commit, it waits `companyWait` for a write that cannot
    ///   wait (an intake), so both share one sync to disk and the intake does not queue behind it.
    func write<T: Sendable>(mayWait: Bool = false, _ work: @escaping @Sendable (Database) throws -> T) async throws
        -> T
    {
        try await write(handingOver: { db, _ in try work(db) }, mayWait: mayWait)
    }

    /// Commits `work` in the next transaction, as `write` does, and gives it the status that says
    /// whether what it writes committed: true once its transaction has, false should the write
    /// fail (it undoes only itself), the transaction or its sync. What `work` hands on with it (a
    /// claimed page, to the sender) may go ahead of the commit's sync to disk. `work` runs on the
    /// writer's queue, or on the thread of a caller that commits on arrival: what it hands on to
    /// must not block.
    ///
    /// - Parameter onCallerIfIdle: with the writer idle, the transaction runs on this caller's
    ///   thread, with any page outcomes waiting for company: for a write someone's page waits
    ///   for, short enough to hold a thread of Swift's pool (an intake).
    func write<T: Sendable>(
        handingOver work: @escaping @Sendable (Database, CommitStatus) throws -> T, mayWait: Bool = false,
        onCallerIfIdle: Bool = false
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let pending = PendingWrite(work, continuation, mayWait: mayWait)
            let start = state.withLock { state -> CommitStart in
                state.waiting.append(pending)
                if state.committing { return .none }
                if mayWait {
                    if state.startScheduled { return .none }
                    state.startScheduled = true
                    return .later
                }
                state.committing = true
                return onCallerIfIdle ? .here : .now
            }
            switch start {
            case .here:
                commitOnArrival()
            case .now:
                queue.async { self.commitUntilIdle() }
            case .later:
                queue.asyncAfter(deadline: .now() + companyWait) { self.startScheduledCommit() }
            case .none:
                break
            }
        }
    }

    /// The wait of a write that may wait is over: commits unless a commit already took it.
    private func startScheduledCommit() {
        let starts = state.withLock { state in
            state.startScheduled = false
            guard !state.committing, !state.waiting.isEmpty else { return false }
            state.committing = true
            return true
        }
        if starts { commitUntilIdle() }
    }

    /// The write just queued found the writer idle: commits what waits on this thread, once, and
    /// leaves the writer's queue the rest (what queued meanwhile, a retry, the tail checkpoint).
    private func commitOnArrival() {
        let batch = takeBatch()
        var retry: [PendingWrite] = []
        do {
            try commitTransaction(batch, writerWasIdle: Self.alone(in: batch, afterIdle: true))
        } catch  where batch.count > 1 {
            retry = batch
        } catch {
            batch.first?.answer(error)
        }
        let tailDue = checkpointer?.takeTailDue() == true
        let more = state.withLock { state in
            if state.waiting.isEmpty && retry.isEmpty && !tailDue {
                state.committing = false
                return false
            }
            return true
        }
        if more {
            queue.async { [retry] in
                self.commitEachAlone(retry)
                if tailDue { self.checkpointTail() }
                self.commitUntilIdle(afterIdle: false)
            }
        }
    }

    /// Commits what is waiting, batch after batch, until nothing is.
    ///
    /// - Parameter afterIdle: the first batch is the first after the writer was idle.
    private func commitUntilIdle(afterIdle: Bool = true) {
        var afterIdle = afterIdle
        while true {
            let batch = takeBatch()
            if batch.isEmpty { return }
            commit(batch, writerWasIdle: afterIdle)
            afterIdle = false
            if checkpointer?.takeTailDue() == true { checkpointTail() }
        }
    }

    /// What waits, up to `batchLimit`; none, and the writer idle, when nothing does.
    private func takeBatch() -> [PendingWrite] {
        state.withLock { state in
            let batch = Array(state.waiting.prefix(Self.batchLimit))
            state.waiting.removeFirst(batch.count)
            if batch.isEmpty { state.committing = false }
            // Someone's answer (an intake) runs ahead of what may wait (the last page's
            // outcome): its pages are handed over as soon as it has run.
            return batch.filter { !$0.mayWait } + batch.filter(\.mayWait)
        }
    }

    /// Commits `batch` in one transaction and answers each write.
    ///
    /// - Parameter writerWasIdle: `batch` is the first after the writer was idle.
    private func commit(_ batch: [PendingWrite], writerWasIdle: Bool) {
        do {
            try commitTransaction(batch, writerWasIdle: Self.alone(in: batch, afterIdle: writerWasIdle))
        } catch  where batch.count > 1 {
            commitEachAlone(batch)
        } catch {
            batch.first?.answer(error)
        }
    }

    /// Whether a write in `batch` has the writer to itself: the first batch after the writer was
    /// idle, and alone in it but for page outcomes, which wait for company.
    private static func alone(in batch: [PendingWrite], afterIdle: Bool) -> Bool {
        afterIdle && batch.count(where: { !$0.mayWait }) == 1
    }

    /// A write whose error rolled the whole transaction back (a full disk, an I/O error) must not
    /// fail the others, nor hide its cause behind "aborted": each goes again in a transaction of
    /// its own, and gets its own answer.
    private func commitEachAlone(_ batch: [PendingWrite]) {
        for pending in batch {
            do {
                try commitTransaction([pending])
            } catch {
                pending.answer(error)
            }
        }
    }

    /// Between two transactions, after the callers are answered: no write is under way, so this
    /// checkpoint copies all that is left (unless a reader still reads an older state) and the
    /// next transaction restarts the log. A failure leaves the log as it was, to grow until the
    /// next.
    private func checkpointTail() {
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }

    /// One transaction for `batch`; answers each write once it has committed and been synced.
    private func commitTransaction(_ batch: [PendingWrite], writerWasIdle: Bool = false) throws {
        // After a failed sync, what a transaction would build on may not be on disk.
        try syncer.check()
        state.withLock { $0.commits += 1 }
        let started = ContinuousClock.now
        do {
            try pool.write { db in
                for pending in batch {
                    // Some errors make SQLite roll the whole transaction back. The writes after it
                    // must not then commit one by one while the earlier ones are lost.
                    guard db.isInsideTransaction else { throw TransactionRolledBack() }
                    pending.run(db, writerWasIdle)
                }
                guard db.isInsideTransaction else { throw TransactionRolledBack() }
            }
        } catch {
            for pending in batch { pending.settle(committed: false) }
            commitTimed?(ContinuousClock.now - started)
            throw error
        }
        syncer.afterSync { [commitTimed] syncError in
            for pending in batch { pending.settle(committed: syncError == nil) }
            // Timed before anyone is answered, so that a caller's commit is counted once it returns.
            commitTimed?(ContinuousClock.now - started)
            for pending in batch { pending.answer(syncError) }
        }
    }

    /// Writes waiting for a transaction, not counting those being committed. For tests.
    var waitingCount: Int { state.withLock { $0.waiting.count } }
}

/// When a write's arrival starts a commit.
private enum CommitStart {
    /// On the caller's thread, at once.
    case here
    /// On the writer's queue, at once.
    case now
    /// On the writer's queue, after `companyWait`.
    case later
    case none
}

/// One caller's write, waiting for its transaction.
///
/// Unchecked: `result` and `status` are written by `run` in the transaction, then read by
/// `settle` on the same thread and by `answer` after the transaction ended, never at once.
private final class PendingWrite: @unchecked Sendable {
    /// Runs the write in `db`; true when it is alone in a transaction the writer began idle.
    let run: (Database, Bool) -> Void
    private let settleStatus: (Bool) -> Void
    let answer: ((any Error)?) -> Void
    /// No one waits for its answer (`write(mayWait:)`).
    let mayWait: Bool

    init<T: Sendable>(
        _ work: @escaping @Sendable (Database, CommitStatus) throws -> T,
        _ continuation: CheckedContinuation<T, any Error>, mayWait: Bool
    ) {
        self.mayWait = mayWait
        var result: Result<T, any Error>?
        // A new one for each run: a write tried again alone after its transaction failed hands
        // on anew, under a status of its own.
        var status = CommitStatus()
        run = { db, writerWasIdle in
            status = CommitStatus(writerWasIdle: writerWasIdle)
            do {
                result = .success(try db.inCachedSavepoint { try work(db, status) })
            } catch {
                result = .failure(error)
                status.settle(committed: false)
            }
        }
        settleStatus = { committed in
            if case .success = result { status.settle(committed: committed) }
        }
        answer = { commitError in
            if let commitError {
                continuation.resume(throwing: commitError)
            } else {
                continuation.resume(with: result ?? .failure(CancellationError()))
            }
        }
    }
}

extension PendingWrite {
    /// Settles the status given to this run of the write: committed only if it succeeded.
    func settle(committed: Bool) { settleStatus(committed) }
}

/// A write in the batch made SQLite roll back the batch's transaction.
struct TransactionRolledBack: Error, CustomStringConvertible {
    var description: String { "an earlier write in the same transaction failed and SQLite rolled it back" }
}
