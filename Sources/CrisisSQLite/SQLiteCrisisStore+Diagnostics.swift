import GRDB

/// What the tests ask the writer connection about how it commits.
extension SQLiteCrisisStore {
    /// `PRAGMA synchronous` on the connection that writes: 2 is FULL, 1 NORMAL, 0 OFF.
    func writerSynchronousLevel() throws -> Int? {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db.cachedStatement(sql: "PRAGMA synchronous")) }
    }

    /// Moves the write-ahead log into the database file, as SQLite does on its own from time to time.
    func checkpoint() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }
}
