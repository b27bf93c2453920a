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
final class WALCheckpointer: Sendable {
    /// Log pages after which a checkpoint is asked for: SQLite's default.
    static let pagesBeforeCheckpoint: Int32 = 1000

    private let connection: DatabaseQueue
    let queue = DispatchQueue(label: "crisisd.sqlite.checkpoint")
    private let state = Mutex((asked: false, checkpoints: 0))

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
                if pages >= WALCheckpointer.pagesBeforeCheckpoint, let context {
                    Unmanaged<WeakCheckpointer>.fromOpaque(context).takeUnretainedValue().checkpointer?.ask()
                }
                return SQLITE_OK
            }, context)
    }

    /// Asks for a checkpoint; one already asked for and not yet run covers this one too.
    func ask() {
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
            state.withLock { $0.checkpoints += 1 }
        }
    }
}

/// What a writer connection's WAL hook holds: a few bytes that stay with the connection.
private final class WeakCheckpointer: Sendable {
    weak let checkpointer: WALCheckpointer?
    init(_ checkpointer: WALCheckpointer) { self.checkpointer = checkpointer }
}
