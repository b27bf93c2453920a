import CrisisCore
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
        try db.execute(
            sql: "UPDATE crisis SET next_deadline_at = ? WHERE id = ?",
            arguments: [Escalator.nextDeadline(snapshot), crisisID])
    }

    /// Crises with a deadline at or before `now`, earliest deadline first.
    public func crisesDue(at now: Date, limit: Int = 500) throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(
                db,
                sql: "SELECT id FROM crisis WHERE next_deadline_at <= ? ORDER BY next_deadline_at LIMIT ?",
                arguments: [now, limit])
        }
    }

    /// The earliest deadline of any crisis: the engine's alarm is set to it.
    public func nextDeadline() throws -> Date? {
        try pool.read { db in try Date.fetchOne(db, sql: "SELECT MIN(next_deadline_at) FROM crisis") }
    }
}
