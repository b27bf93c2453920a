import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and a thread of its
/// own, so that no commit waits for it.
///
/// SQLite's own automatic checkpoint runs inside the commit that takes the log past its limit:
/// that intake (or that pass of the engine) waited for a thousand pages to be read, written and
/// synced, several milliseconds, about once every fifty intakes. Here the writer's commit only
/// notes the log's length (`sqlite3_wal_hook`, which replaces the automatic checkpoint) and this
/// connection checkpoints while the writer goes on. A passive checkpoint never blocks the writer
/// nor readers; what it cannot copy yet it copies next time.
///
/// One is asked for each thousand pages the log grows, not after every commit: asked after
/// every commit past the first thousand, checkpoints ran back to back, each with two syncs (the
/// log's, the database's) beside the writer's own.
///
/// The log restarts from its start only once a checkpoint has copied all of it before the
/// writer's next transaction, which a writer busy every millisecond never allows: it grew by
/// tens of megabytes, and each commit that lengthened the file cost its sync a journal write for
/// the new size. So once this connection has copied the bulk, the writer copies the few pages
/// committed since between two of its transactions (`takeTailDue()`), and its next transaction
/// restarts the log.
final class WALCheckpointer: Sendable {
    /// Log pages after which a checkpoint is asked for, and again after each as many more:
    /// SQLite's default.
    static let pagesBeforeCheckpoint: Int32 = 1000

    private let connection: DatabaseQueue
    let queue = DispatchQueue(label: "crisisd.sqlite.checkpoint")
    private let state = Mutex(State())

    private struct State {
        var asked = false
        var checkpoints = 0
        /// The log's length when a checkpoint was last asked for; 0 once it restarted.
        var askedAt: Int32 = 0
        /// A checkpoint here has run since the writer last copied the rest.
        var tailDue = false
    }

    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "checkpoint"
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Checkpoints run so far. For tests.
    var checkpoints: Int { state.withLock { $0.checkpoints } }

    /// Takes over the checkpoints of the writer's connection `db`. The connection holds this
    /// checkpointer weakly: a store closed before its writer connection leaves a hook that does
    /// nothing, not one that points at freed memory.
    func watch(_ db: Database) {
        let context = Unmanaged.passRetained(WeakCheckpointer(self)).toOpaque()
        sqlite3_wal_hook(
            db.sqliteConnection,
            { context, _, _, pages in
                if let context {
                    Unmanaged<WeakCheckpointer>.fromOpaque(context).takeUnretainedValue().checkpointer?.committed(
                        logLength: pages)
                }
                return SQLITE_OK
            }, context)
    }

    /// A commit left the log `logLength` pages long: asks for a checkpoint once it has grown a
    /// thousand pages since the last one asked for, or since it restarted.
    func committed(logLength: Int32) {
        let asks = state.withLock { state in
            // The log only grows until it restarts: shorter than when last asked, it restarted.
            if logLength < state.askedAt { state.askedAt = 0 }
            guard logLength - state.askedAt >= Self.pagesBeforeCheckpoint else { return false }
            state.askedAt = logLength
            return true
        }
        if asks { ask() }
    }

    /// Asks for a checkpoint; one already asked for and not yet run covers this one too.
    private func ask() {
        let starts = state.withLock { state in
            defer { state.asked = true }
            return !state.asked
        }
        guard starts else { return }
        queue.async { [self] in
            state.withLock { $0.asked = false }
            // A failed checkpoint (an I/O error) leaves the log as it was: the next one retries,
            // and the writer's commits, which do not depend on it, report their own errors.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            state.withLock {
                $0.checkpoints += 1
                $0.tailDue = true
            }
        }
    }

    /// Whether the writer should now copy what this connection's last checkpoint left (what was
    /// committed while it ran): a few pages, after which its next transaction restarts the log.
    /// Answers true once per checkpoint run here.
    func takeTailDue() -> Bool {
        state.withLock { state in
            defer { state.tailDue = false }
            return state.tailDue
        }
    }
}

/// What a writer connection's WAL hook holds: a few bytes that stay with the connection.
private final class WeakCheckpointer: Sendable {
    weak let checkpointer: WALCheckpointer?
    init(_ checkpointer: WALCheckpointer) { self.checkpointer = checkpointer }
}
