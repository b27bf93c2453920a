import Foundation

/// Syncs the database's write-ahead log through a descriptor of its own. The writer connection
/// commits without syncing (`synchronous = NORMAL`: SQLite still syncs at checkpoints and when
/// the log restarts); one `fdatasync` here then makes every commit written before it durable,
/// however many there were, on a thread that is not the writer's.
///
/// The log file stays the same file while the store is open: SQLite deletes it only when its
/// last connection closes, and restarting or truncating the log rewrites it in place.
final class WALFileSync: LogSync {
    let path: String
    let descriptor: Int32

    /// Opens the log of the database at `databasePath`, which must already be in WAL mode and
    /// open (so that the log exists).
    init(databasePath: String) throws {
        path = databasePath + "-wal"
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LogSyncFailed(path: path, operation: "open", errorNumber: errno) }
    }

    deinit { close(descriptor) }

    func sync() throws {
        while fdatasync(descriptor) != 0 {
            guard errno == EINTR else { throw LogSyncFailed(path: path, operation: "fdatasync", errorNumber: errno) }
        }
    }
}

/// The write-ahead log could not be opened or synced: what was committed since its last sync
/// may not be on disk.
struct LogSyncFailed: Error, CustomStringConvertible {
    let path: String
    let operation: String
    let errorNumber: Int32

    var description: String {
        "\(operation) of the database's write-ahead log \(path) failed: \(String(cString: strerror(errorNumber)))"
            + " (errno \(errorNumber))"
    }
}
