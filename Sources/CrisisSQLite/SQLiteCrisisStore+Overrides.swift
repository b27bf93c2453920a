import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// Rota overrides written at run time: cover that is added, removed and journalled.
extension SQLiteCrisisStore {
    /// Records cover written at run time, and journals it.
    public func addOverride(target: String, person: String, from: Date, to: Date, by actor: String, at now: Date)
        async throws
        -> RotaOverride
    {
        try await writer.write { db in
            try db.cachedStatement(
                sql:
                    "INSERT INTO rota_override (target, person, from_at, to_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [target, person, from.stored, to.stored, now.stored, actor])
            let override = RotaOverride(
                id: "\(db.lastInsertedRowID)", target: target, person: person, from: from, to: to, createdBy: actor)
            try Self.append(db, [override.addedEntry(at: now)])
            return override
        }
    }

    /// Marks an override removed (it stays in the table) and journals it; nil when there is none.
    public func removeOverride(id: String, by actor: String, at now: Date) async throws -> RotaOverride? {
        try await writer.write { db in
            guard let number = Int64(id),
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM rota_override WHERE id = ? AND removed_at IS NULL"),
                    arguments: [number])
            else { return nil }
            try db.cachedStatement(sql: "UPDATE rota_override SET removed_at = ?, removed_by = ? WHERE id = ?").execute(
                arguments: [now.stored, actor, number])
            let override = Self.override(row)
            try Self.append(db, [override.removedEntry(by: actor, at: now)])
            return override
        }
    }

    /// Overrides not removed, oldest first (so the newest wins where they overlap).
    public func overrides() async throws -> [RotaOverride] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM rota_override WHERE removed_at IS NULL ORDER BY id")
            ).map(
                Self.override)
        }
    }

    static func override(_ row: Row) -> RotaOverride {
        RotaOverride(
            id: "\(row["id"] as Int64)", target: row["target"], person: row["person"], from: row["from_at"],
            to: row["to_at"],
            createdBy: row["created_by"])
    }
}
