import Foundation
import GRDB
import Synchronization

/// The one way a `SQLiteCrisisStore` writes: writes queue here and are committed by GRDB's single
/// writer connection, off Swift's cooperative pool. Writes that arrive while a commit is under way
/// go into the next transaction together (group commit): with `synchronous=FULL` every commit
/// costs a sync to disk, so a burst of intakes costs a few syncs, not one each.
///
/// Each write runs in a savepoint of its own, so one that fails (a reference taken, a key reused)
/// undoes only itself; each caller is answered once the transaction that holds its write has
/// committed, or with the commit's error when it did not.
final class GroupCommitWriter: Sendable {
    /// Writes per transaction at most, so one commit after a long queue stays short.
    static let batchLimit = 256

    private let pool: DatabasePool
    private let state = Mutex(State())

    private struct State {
        var waiting: [PendingWrite] = []
        var committing = false
        var commits = 0
    }

    /// Transactions committed (or tried) so far: how much grouping there was.
    var commits: Int { state.withLock { $0.commits } }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let pending = PendingWrite(work, continuation)
            let starts = state.withLock { state in
                state.waiting.append(pending)
                defer { state.committing = true }
                return !state.committing
            }
            if starts {
                Task { await self.commitUntilIdle() }
            }
        }
    }

    /// Commits what is waiting, batch after batch, until nothing is.
    private func commitUntilIdle() async {
        while true {
            let batch = state.withLock { state in
                let batch = Array(state.waiting.prefix(Self.batchLimit))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.committing = false } else { state.commits += 1 }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await pool.write { db in
                    for pending in batch { pending.run(db) }
                }
                for pending in batch { pending.answer(nil) }
            } catch {
                for pending in batch { pending.answer(error) }
            }
        }
    }
}

/// One caller's write, waiting for its transaction.
///
/// Unchecked: `result` is written by `run` on the writer's queue, then read by `answer` after the
/// transaction ended, never at once.
private final class PendingWrite: @unchecked Sendable {
    let run: (Database) -> Void
    let answer: ((any Error)?) -> Void

    init<T: Sendable>(
        _ work: @escaping @Sendable (Database) throws -> T, _ continuation: CheckedContinuation<T, any Error>
    ) {
        var result: Result<T, any Error>?
        run = { db in
            do {
                var value: T?
                try db.inSavepoint {
                    value = try work(db)
                    return .commit
                }
                result = .success(value!)
            } catch {
                result = .failure(error)
            }
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
