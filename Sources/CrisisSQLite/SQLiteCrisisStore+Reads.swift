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

    /// Three indexed queries, whatever the number of crises: the count, the earliest running
    /// clock (`clock_running_due`) and the earliest escalation step (`crisis_next_escalation`).
    public func openSummary() async throws -> StatusLine.Summary {
        try await pool.read { db in
            let open =
                try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM crisis WHERE status != 'resolved'")) ?? 0
            let clock = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT crisis.reference, clock.kind, clock.due_at FROM clock
                        JOIN crisis ON crisis.id = clock.crisis_id
                        WHERE clock.outcome IS NULL AND crisis.status != 'resolved'
                        ORDER BY clock.due_at, crisis.reference, clock.kind LIMIT 1
                        """))
            let step = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT reference, next_escalation_at FROM crisis
                        WHERE next_escalation_at IS NOT NULL AND status = 'open'
                        ORDER BY next_escalation_at, reference LIMIT 1
                        """))
            let clockDeadline = try clock.flatMap { row in
                try row.reference("reference", in: "crisis", row: 0).map {
                    StatusLine.Summary.Deadline(reference: $0, what: row["kind"], at: row["due_at"])
                }
            }
            let stepDeadline = try step.flatMap { row in
                try row.reference("reference", in: "crisis", row: 0).map {
                    StatusLine.Summary.Deadline(reference: $0, what: "escalation", at: row["next_escalation_at"])
                }
            }
            return StatusLine.Summary(open: open, next: StatusLine.Summary.earlier(clockDeadline, stepDeadline))
        }
    }

    public func count() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM crisis")) ?? 0 }
    }

    /// A cheap read, for the health check: throws when the database cannot be read, or may no
    /// longer be written.
    public func ping() async throws {
        // After a failed sync the store refuses writes until a restart: the health monitor's
        // ping says so, and the watchdog restarts crisisd.
        try writer.syncer.check()
        _ = try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT 1")) }
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "PRAGMA integrity_check")) ?? "no answer"
        }
    }
}
