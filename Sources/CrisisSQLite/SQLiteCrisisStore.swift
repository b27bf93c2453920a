import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// crisisd's state in one SQLite file: crises, their clocks, the page outbox and the journal.
///
/// Every write is one transaction that also appends its journal entries, so the journal never
/// tells a story the tables do not. WAL with `synchronous=FULL`: a commit is on disk when it returns.
///
/// Reads run on GRDB's reader connections and writes on its one writer, through `writer` (group
/// commit); callers suspend, and no SQLite call blocks Swift's cooperative pool.
public final class SQLiteCrisisStore: CrisisStore {
    let pool: DatabasePool
    let writer: GroupCommitWriter
    let checkpointer: WALCheckpointer
    public let path: String

    /// Opens (creating, migrating) the database off Swift's cooperative pool.
    /// - Parameter commitTimed: told how long each write transaction took to commit, for metrics.
    public static func open(
        path: String, commitTimed: (@Sendable (Duration) -> Void)? = nil
    ) async throws -> SQLiteCrisisStore {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try SQLiteCrisisStore(path: path, commitTimed: commitTimed) })
            }
        }
    }

    public init(path: String, commitTimed: (@Sendable (Duration) -> Void)? = nil) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        // Not in `prepareDatabase`: the pool turns WAL on after it and sets `synchronous = NORMAL`,
        // which syncs only at checkpoints, so a power cut would lose crises already answered 201.
        // The writer is one connection for the pool's life, so setting it once holds.
        try pool.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute()
            // Each write and each crisis a pass decides has a savepoint; what a savepoint would
            // undo is kept in memory, not in a temporary file: it spilled to one after 64 KiB, a
            // few intakes into a transaction, and every page then cost a write to it.
            try db.cachedStatement(sql: "PRAGMA temp_store = MEMORY").execute()
        }
        try Migrations.migrator.migrate(pool)
        try pool.write { db in try Self.fillMissingDeadlines(db) }
        checkpointer = try WALCheckpointer(path: path)
        pool.writeWithoutTransaction { [checkpointer] db in checkpointer.watch(db) }
        writer = GroupCommitWriter(pool: pool, checkpointer: checkpointer, commitTimed: commitTimed)
    }
}
