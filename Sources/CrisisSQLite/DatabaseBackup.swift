import Foundation
import GRDB

/// A copy of crisisd's database taken while crisisd may be writing to it, through SQLite's
/// backup API, and checked before it is given the name asked for.
///
/// The source is opened read-only: in WAL mode a reader never blocks the daemon's writer, and the
/// whole copy is made in one step inside one read transaction, so it is one consistent moment of
/// the database. The copy is written next to `file` under a temporary name and renamed into place
/// only once `PRAGMA integrity_check` says `ok`, so `file` is never a half-written database.
public enum DatabaseBackup {
    /// What the copy holds, read from the copy itself.
    public struct Summary: Sendable, Equatable {
        public var bytes: Int
        public var crises: Int
        /// Crises not yet resolved: what `crisisctl status` lists.
        public var openCrises: Int
        public var journalEntries: Int
        /// The newest journal entry: crises received after it are not in the copy.
        public var lastEntryAt: Date?
    }

    public enum Failure: Error, Equatable {
        /// The folder `file` would go in is not there (or is not a folder).
        case noSuchDirectory(String)
        /// `file` is there already and `replacing` was not asked for.
        case fileExists(String)
        /// No database at this path: a wrong `state_dir`, or crisisd never ran.
        case databaseNotFound(String)
        /// This path may not be read (the database) or written (the copy's folder) by this user.
        case notPermitted(String, write: Bool)
        /// The copy fails `PRAGMA integrity_check`; these are its first complaints.
        case damaged([String])
        /// SQLite or the file system refused, for another reason it names.
        case failed(String)
    }

    /// Copies the database at `database` to `file`.
    /// - Parameter replacing: replace `file` when it exists; without it an existing file stops the backup.
    public static func copy(database: String, to file: String, replacing: Bool) throws(Failure) -> Summary {
        let file = URL(fileURLWithPath: file).standardizedFileURL.path
        let folder = (file as NSString).deletingLastPathComponent
        try checkDestination(file: file, folder: folder, replacing: replacing)
        try checkSource(database)

        let partial = (folder as NSString).appendingPathComponent(
            ".\((file as NSString).lastPathComponent).partial-\(getpid())")
        try createPrivateFile(partial, folder: folder)
        var renamed = false
        defer {
            if !renamed {
                unlink(partial)
                unlink(partial + "-journal")
            }
        }
        let summary = try copyAndCheck(database: database, to: partial)
        try moveIntoPlace(partial, file, replacing: replacing)
        renamed = true
        syncFolder(folder)
        return summary
    }

    private static func checkDestination(file: String, folder: String, replacing: Bool) throws(Failure) {
        var status = stat()
        guard stat(folder, &status) == 0 else {
            if errno == EACCES { throw .notPermitted(folder, write: true) }
            throw .noSuchDirectory(folder)
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw .noSuchDirectory(folder) }
        guard access(folder, W_OK | X_OK) == 0 else { throw .notPermitted(folder, write: true) }
        if lstat(file, &status) == 0 {
            if status.st_mode & S_IFMT == S_IFDIR || !replacing { throw .fileExists(file) }
        }
    }

    private static func checkSource(_ database: String) throws(Failure) {
        var status = stat()
        guard stat(database, &status) == 0 else {
            if errno == EACCES { throw .notPermitted(database, write: false) }
            throw .databaseNotFound(database)
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .databaseNotFound(database) }
        guard access(database, R_OK) == 0 else { throw .notPermitted(database, write: false) }
    }

    /// The copy holds personal data: it is readable by its owner only, whatever the umask.
    private static func createPrivateFile(_ path: String, folder: String) throws(Failure) {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno
            if reason == EACCES || reason == EPERM || reason == EROFS { throw .notPermitted(folder, write: true) }
            throw .failed("cannot create \(path): \(String(cString: strerror(reason)))")
        }
        close(descriptor)
    }

    private static func copyAndCheck(database: String, to partial: String) throws(Failure) -> Summary {
        do {
            var reading = Configuration()
            reading.readonly = true
            // A reader waits, rather than fails, while the daemon's checkpoint holds the WAL a moment.
            reading.busyMode = .timeout(10)
            let source = try DatabaseQueue(path: database, configuration: reading)
            defer { try? source.close() }
            let copy = try DatabaseQueue(path: partial)
            defer { try? copy.close() }
            try source.backup(to: copy)
            return try copy.writeWithoutTransaction { db in
                // The copy is a single file to carry away: no -wal beside it. crisisd turns WAL
                // back on when it opens a restored copy.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard problems == ["ok"] else { throw Failure.damaged(Array(problems.prefix(10))) }
                return Summary(
                    bytes: try Int.fetchOne(
                        db, sql: "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0,
                    crises: try Int.fetchOne(db, sql: "SELECT count(*) FROM crisis") ?? 0,
                    openCrises: try Int.fetchOne(db, sql: "SELECT count(*) FROM crisis WHERE status != 'resolved'")
                        ?? 0,
                    journalEntries: try Int.fetchOne(db, sql: "SELECT count(*) FROM journal") ?? 0,
                    lastEntryAt: try Date.fetchOne(db, sql: "SELECT max(at) FROM journal"))
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw .failed("\(database) is not an SQLite database")
        } catch let error as DatabaseError where error.message?.contains("no such table") == true {
            throw .failed("\(database) is not crisisd's database: \(error.message ?? "")")
        } catch {
            throw .failed("the backup failed: \(error)")
        }
    }

    /// Without `replacing`, a hard link gives the copy its name only if no file took it meanwhile.
    private static func moveIntoPlace(_ partial: String, _ file: String, replacing: Bool) throws(Failure) {
        if replacing {
            guard rename(partial, file) == 0 else {
                throw .failed("cannot rename \(partial) to \(file): \(String(cString: strerror(errno)))")
            }
            return
        }
        guard link(partial, file) == 0 else {
            if errno == EEXIST { throw .fileExists(file) }
            throw .failed("cannot create \(file): \(String(cString: strerror(errno)))")
        }
        unlink(partial)
    }

    /// The new name is on disk too, not only the file's content.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
