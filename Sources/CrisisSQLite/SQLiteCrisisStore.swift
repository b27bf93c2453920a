import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// crisisd's state in one SQLite file: crises, their clocks, the page outbox and the journal.
///
/// Every write is one transaction that also appends its journal entries, so the journal never
/// tells a story the tables do not. WAL: a write is answered once its commit is synced to disk
/// (`GroupCommitWriter`, `CommitSyncer`).
///
/// Reads run on GRDB's reader connections and writes on its one writer, through `writer` (group
/// commit); callers suspend, and no SQLite call blocks Swift's cooperative pool but a lone
/// intake's transaction, which runs on its caller's thread when the writer is idle.
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

    public convenience init(path: String, commitTimed: (@Sendable (Duration) -> Void)? = nil) throws {
        try self.init(path: path, commitTimed: commitTimed, log: WALFileSync.init(databasePath:))
    }

    /// - Parameter log: what syncs the database's log, given its path (tests give one that fails).
    init(
        path: String, commitTimed: (@Sendable (Duration) -> Void)? = nil, log makeLog: (String) throws -> any LogSync
    ) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
            // NORMAL, said here rather than left to GRDB's default: the writer's commits do not
            // sync (SQLite still syncs at checkpoints and when the log restarts, which OFF would
            // not), and `WALFileSync` syncs them before anyone is answered, on a thread of its
            // own. The writer is one connection for the pool's life, so what is set here holds.
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            // Each write and each crisis a pass decides has a savepoint; what a savepoint would
            // undo is kept in memory, not in a temporary file: it spilled to one after 64 KiB, a
            // few intakes into a transaction, and every page then cost a write to it.
            try db.cachedStatement(sql: "PRAGMA temp_store = MEMORY").execute()
        }
        try Migrations.migrator.migrate(pool)
        try pool.write { db in try Self.fillMissingDeadlines(db) }
        let log = try makeLog(path)
        try log.sync()
        checkpointer = try WALCheckpointer(path: path)
        pool.writeWithoutTransaction { [checkpointer] db in checkpointer.watch(db) }
        writer = GroupCommitWriter(pool: pool, log: log, checkpointer: checkpointer, commitTimed: commitTimed)
    }
}
