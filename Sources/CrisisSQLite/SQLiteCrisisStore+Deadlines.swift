import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// The engine's deadlines: when each crisis next needs a decision, and which are due.
extension SQLiteCrisisStore {
    /// Keeps `crisis.next_deadline_at` at the instant the core says the engine must next decide
    /// (`Escalator.nextDeadline`): written in every transaction that changes a crisis, so what
    /// is due and when to wake are an indexed read, and the rule lives in one place, not in SQL.
    ///
    /// - Parameter snapshot: the crisis as this transaction leaves it.
    static func storeNextDeadline(_ db: Database, crisisID: Int64, of snapshot: CrisisSnapshot) throws {
        try db.cachedStatement(sql: "UPDATE crisis SET next_deadline_at = ? WHERE id = ?").execute(arguments: [
            Escalator.nextDeadline(snapshot).stored, crisisID,
        ])
    }

    /// The row ids of crises whose deadline is at or before `now`, earliest first: what
    /// `decideDue` will look at. For tests and diagnostics; not part of the port.
    func crisesDue(at now: Date, limit: Int = 500) async throws -> [Int64] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: Self.dueCrisesSQL), arguments: [now.stored, limit]).map {
                $0["id"]
            }
        }
    }

    /// The earliest deadline of any crisis: the engine's alarm is set to it.
    public func nextDeadline() async throws -> Date? {
        try await pool.read { db in try Self.nextDeadline(db) }
    }

    static func nextDeadline(_ db: Database) throws -> Date? {
        try Date.fetchOne(db.cachedStatement(sql: Self.nextDeadlineSQL))
    }

    /// Read before and after every pass of the engine: it must cost the same with 100,000 open
    /// crises as with one. The index on the deadline holds only rows that have one, so SQLite uses
    /// it for the minimum only when the query says so too (MIN skips NULLs either way).
    static let nextDeadlineSQL = "SELECT MIN(next_deadline_at) FROM crisis WHERE next_deadline_at IS NOT NULL"

    /// The crises due at a time (`?`), earliest first, at most `?`.
    static let dueCrisesSQL =
        "SELECT id, reference FROM crisis WHERE next_deadline_at <= ? ORDER BY next_deadline_at LIMIT ?"

    /// Gives every crisis that is not resolved and has no stored deadline the one the core
    /// computes. Such rows come from an older crisisd run on this database after a rollback (it
    /// knows nothing of `next_deadline_at`); without this, they would never escalate again.
    static func fillMissingDeadlines(_ db: Database) throws {
        let ids = try Int64.fetchAll(
            db, sql: "SELECT id FROM crisis WHERE next_deadline_at IS NULL AND status != 'resolved'")
        for id in ids {
            // A row the store cannot read is left for the engine, which reports it by name.
            guard let snapshot = try? snapshot(db, crisisID: id) else { continue }
            try storeNextDeadline(db, crisisID: id, of: snapshot)
        }
    }
}
