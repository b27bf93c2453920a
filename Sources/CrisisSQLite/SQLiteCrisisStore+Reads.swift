import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// Reads of crises for the API and the CLI, and the health check's reads.
extension SQLiteCrisisStore {
    public func crisis(_ reference: CrisisReference) async throws -> CrisisView? {
        try await pool.read { db in
            guard
                let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM crisis WHERE reference = ?", arguments: [reference.rawValue])
            else { return nil }
            return try Self.view(db, crisisID: id)
        }
    }

    /// Who raised a crisis: the `source` its intake was recorded with, nil for an unknown reference.
    public func source(of reference: CrisisReference) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT source FROM crisis WHERE reference = ?"),
                arguments: [reference.rawValue])
        }
    }

    /// Crises not yet resolved, newest first.
    public func openCrises() async throws -> [CrisisView] {
        try await pool.read { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM crisis WHERE status != 'resolved' ORDER BY received_at DESC, id DESC")
            return try ids.compactMap { try Self.view(db, crisisID: $0) }
        }
    }

    public func count() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM crisis")) ?? 0 }
    }

    /// A cheap read, for the health check: throws when the database cannot be read.
    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT 1")) }
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "PRAGMA integrity_check")) ?? "no answer"
        }
    }
}
