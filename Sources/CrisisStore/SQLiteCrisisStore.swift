import CrisisCore
import Foundation
import GRDB

/// crisisd's state in one SQLite file: crises, their clocks, the page outbox and the journal.
///
/// Every write is one transaction that also appends its journal entries, so the journal never
/// tells a story the tables do not. WAL with `synchronous=FULL`: a commit is on disk when it returns.
public final class SQLiteCrisisStore: Sendable {
    private let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
    }

    // MARK: - Writes

    /// Records a new crisis with its clocks, pages and journal entries, or returns the crisis an
    /// idempotency key already names.
    ///
    /// - Throws: `StoreError.referenceTaken` when the draft's reference is in use.
    public func record(_ draft: CrisisDraft) throws -> IntakeResult {
        try pool.write { db in
            if let key = draft.idempotencyKey,
                let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM crisis WHERE source = ? AND idempotency_key = ?", arguments: [draft.source, key])
            {
                return .existing(try Self.view(db, crisisID: id)!)
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM crisis WHERE reference = ?", arguments: [draft.reference.rawValue]) == true {
                throw StoreError.referenceTaken
            }
            let intake = draft.intake
            try db.execute(
                sql: """
                    INSERT INTO crisis (reference, category, site, callback, requester_role, source, is_group, people,
                        drill, received_at, status, assigned, no_one_on_duty, idempotency_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
                    """,
                arguments: [
                    draft.reference.rawValue, intake.category.rawValue, intake.site, intake.callback,
                    intake.requesterRole.rawValue, draft.source, intake.group, intake.people, intake.drill,
                    draft.receivedAt, Self.encodeList(draft.assigned), draft.noOneOnDuty, draft.idempotencyKey,
                ])
            let crisisID = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO crisis_personal (crisis_id, requester_name, note) VALUES (?, ?, ?)",
                arguments: [crisisID, intake.requesterName, intake.note])
            for clock in draft.clocks {
                try db.execute(
                    sql: "INSERT INTO clock (crisis_id, kind, started_at, due_at) VALUES (?, ?, ?, ?)",
                    arguments: [crisisID, clock.kind.rawValue, clock.startedAt, clock.dueAt])
            }
            for page in draft.pages {
                try db.execute(
                    sql: """
                        INSERT INTO page (crisis_id, person, channel, step, status, next_attempt_at, created_at)
                        VALUES (?, ?, ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [crisisID, page.person, page.channel, page.step, draft.receivedAt, draft.receivedAt])
            }
            try Self.append(db, draft.journal)
            return .created(try Self.view(db, crisisID: crisisID)!)
        }
    }

    /// Acknowledges a crisis: the first acknowledgement stands, the ack clock is met, and pages
    /// still waiting for a (re)try are cancelled. Returns nil for an unknown reference.
    public func acknowledge(_ reference: CrisisReference, by person: String, actor: String, at now: Date) throws -> AckReceipt? {
        try pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, status, acknowledged_at, acknowledged_by FROM crisis WHERE reference = ?",
                    arguments: [reference.rawValue])
            else { return nil }
            let crisisID: Int64 = row["id"]
            if row["status"] as String == "acknowledged" {
                return AckReceipt(
                    reference: reference, acknowledgedAt: row["acknowledged_at"], acknowledgedBy: row["acknowledged_by"],
                    alreadyAcknowledged: true, cancelledPages: 0)
            }
            try db.execute(
                sql: "UPDATE crisis SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ?",
                arguments: [now, person, crisisID])
            var entries = [
                JournalEntry(at: now, reference: reference, kind: .crisisAcknowledged, actor: actor, data: ["by": person])
            ]
            if let due = try Date.fetchOne(
                db, sql: "SELECT due_at FROM clock WHERE crisis_id = ? AND kind = 'ack' AND outcome IS NULL", arguments: [crisisID])
            {
                let outcome: ClockOutcome = now <= due ? .met : .breached
                try db.execute(
                    sql: "UPDATE clock SET outcome = ?, ended_at = ? WHERE crisis_id = ? AND kind = 'ack'",
                    arguments: [outcome.rawValue, now, crisisID])
                entries.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .clockEnded, actor: actor,
                        data: [
                            "clock": ClockKind.ack.rawValue, "outcome": outcome.rawValue,
                            "due_at": due.formatted(.iso8601), "ended_at": now.formatted(.iso8601),
                        ]))
            }
            let cancelled = try Row.fetchAll(
                db, sql: "SELECT id, person, channel FROM page WHERE crisis_id = ? AND status = 'pending'", arguments: [crisisID])
            try db.execute(
                sql: "UPDATE page SET status = 'cancelled', next_attempt_at = NULL WHERE crisis_id = ? AND status = 'pending'",
                arguments: [crisisID])
            for page in cancelled {
                entries.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .pageCancelled, actor: actor,
                        data: ["page": "\(page["id"] as Int64)", "person": page["person"], "channel": page["channel"], "reason": "acknowledged"]))
            }
            try Self.append(db, entries)
            return AckReceipt(
                reference: reference, acknowledgedAt: now, acknowledgedBy: person, alreadyAcknowledged: false,
                cancelledPages: cancelled.count)
        }
    }

    /// Appends entries that belong to no other write (daemon start, config loaded).
    public func append(_ entries: [JournalEntry]) throws {
        try pool.write { db in try Self.append(db, entries) }
    }

    // MARK: - The outbox

    /// Pending pages whose next attempt is due at `now`, oldest first.
    public func duePages(at now: Date, excluding inFlight: Set<Int64> = [], limit: Int = 100) throws -> [OutboundPage] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, crisis_id, person, channel, step, attempts FROM page
                    WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: [now, limit + inFlight.count])
            var pages: [OutboundPage] = []
            for row in rows where !inFlight.contains(row["id"]) && pages.count < limit {
                guard let crisis = try Self.view(db, crisisID: row["crisis_id"]) else { continue }
                pages.append(
                    OutboundPage(
                        id: row["id"], crisis: crisis, person: row["person"], channel: row["channel"], step: row["step"],
                        attempt: (row["attempts"] as Int) + 1))
            }
            return pages
        }
    }

    /// The earliest instant a pending page is due, if any: the sender sleeps until then.
    public func nextPageDue(excluding inFlight: Set<Int64> = []) throws -> Date? {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, next_attempt_at FROM page WHERE status = 'pending' ORDER BY next_attempt_at LIMIT ?",
                arguments: [inFlight.count + 1])
            return rows.first(where: { !inFlight.contains($0["id"]) })?["next_attempt_at"]
        }
    }

    /// Journals that an attempt is starting, before the request goes out.
    public func beginAttempt(_ page: OutboundPage, at now: Date) throws {
        try append([
            JournalEntry(
                at: now, reference: page.crisis.reference, kind: .pageAttempted, actor: "crisisd",
                data: ["page": "\(page.id)", "person": page.person, "channel": page.channel, "attempt": "\(page.attempt)"])
        ])
    }

    /// Records an attempt's outcome and what happens next. A page cancelled meanwhile stays cancelled.
    public func finishAttempt(_ page: OutboundPage, outcome: DeliveryOutcome, decision: RetryPolicy.Decision, at now: Date) throws {
        try pool.write { db in
            let base = ["page": "\(page.id)", "person": page.person, "channel": page.channel, "attempt": "\(page.attempt)"]
            var entries: [JournalEntry] = []
            let status = try String.fetchOne(db, sql: "SELECT status FROM page WHERE id = ?", arguments: [page.id])
            let stillPending = status == "pending"
            switch outcome {
            case .delivered(let detail):
                entries.append(.init(at: now, reference: page.crisis.reference, kind: .pageDelivered, actor: "crisisd", data: base.merging(["detail": detail]) { a, _ in a }))
            case .failed(let retryable, let reason):
                entries.append(.init(at: now, reference: page.crisis.reference, kind: .pageFailed, actor: "crisisd", data: base.merging(["reason": reason, "retryable": "\(retryable)"]) { a, _ in a }))
            }
            // A page cancelled by an acknowledgement meanwhile is not retried; a delivery is recorded as such.
            var newStatus = status ?? "cancelled"
            var next: Date?
            switch decision {
            case .done:
                newStatus = "delivered"
            case .retry(let at) where stillPending:
                next = at
                entries.append(.init(at: now, reference: page.crisis.reference, kind: .pageRetryScheduled, actor: "crisisd", data: base.merging(["next_attempt_at": at.formatted(.iso8601)]) { a, _ in a }))
            case .giveUp(let reason) where stillPending:
                newStatus = "failed"
                entries.append(.init(at: now, reference: page.crisis.reference, kind: .pageGaveUp, actor: "crisisd", data: base.merging(["reason": reason]) { a, _ in a }))
            case .retry, .giveUp:
                break
            }
            var lastError: String?
            if case .failed(_, let reason) = outcome { lastError = reason }
            try db.execute(
                sql: "UPDATE page SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                arguments: [newStatus, page.attempt, next, lastError, page.id])
            try Self.append(db, entries)
        }
    }

    // MARK: - Reads

    public func crisis(_ reference: CrisisReference) throws -> CrisisView? {
        try pool.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM crisis WHERE reference = ?", arguments: [reference.rawValue])
            else { return nil }
            return try Self.view(db, crisisID: id)
        }
    }

    /// Crises not yet resolved, newest first.
    public func openCrises() throws -> [CrisisView] {
        try pool.read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM crisis ORDER BY received_at DESC, id DESC")
            return try ids.compactMap { try Self.view(db, crisisID: $0) }
        }
    }

    public func count() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM crisis") ?? 0 }
    }

    /// Journal entries in order, optionally for one crisis and from an instant on.
    public func journal(reference: CrisisReference? = nil, since: Date? = nil, limit: Int = 10_000) throws -> [JournalEntry] {
        try pool.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let reference {
                clauses.append("reference = ?")
                _ = arguments.append(contentsOf: [reference.rawValue])
            }
            if let since {
                clauses.append("at >= ?")
                _ = arguments.append(contentsOf: [since])
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [limit])
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM (SELECT * FROM journal \(filter) ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: arguments)
            return rows.map { row in
                JournalEntry(
                    id: row["id"], at: row["at"], reference: (row["reference"] as String?).flatMap(CrisisReference.init(parsing:)),
                    kind: JournalKind(rawValue: row["kind"]) ?? .daemonStarted, actor: row["actor"],
                    data: Self.decodeMap(row["data"]))
            }
        }
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }

    // MARK: - Helpers

    static func append(_ db: Database, _ entries: [JournalEntry]) throws {
        for entry in entries {
            try db.execute(
                sql: "INSERT INTO journal (at, reference, kind, actor, data) VALUES (?, ?, ?, ?, ?)",
                arguments: [entry.at, entry.reference?.rawValue, entry.kind.rawValue, entry.actor, encodeMap(entry.data)])
        }
    }

    static func view(_ db: Database, crisisID: Int64) throws -> CrisisView? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM crisis WHERE id = ?", arguments: [crisisID]) else { return nil }
        let clocks = try Row.fetchAll(
            db, sql: "SELECT * FROM clock WHERE crisis_id = ? ORDER BY due_at, kind", arguments: [crisisID]
        ).map { clock in
            ResponseClock(
                kind: ClockKind(rawValue: clock["kind"]) ?? .ack, startedAt: clock["started_at"], dueAt: clock["due_at"],
                outcome: (clock["outcome"] as String?).flatMap(ClockOutcome.init(rawValue:)), endedAt: clock["ended_at"])
        }
        let pages = try Row.fetchAll(db, sql: "SELECT * FROM page WHERE crisis_id = ? ORDER BY id", arguments: [crisisID]).map { page in
            CrisisView.Page(
                id: page["id"], person: page["person"], channel: page["channel"], step: page["step"], status: page["status"],
                attempts: page["attempts"], lastError: page["last_error"])
        }
        return CrisisView(
            reference: CrisisReference(parsing: row["reference"])!,
            category: CrisisCategory(rawValue: row["category"]) ?? .other, site: row["site"], callback: row["callback"],
            requesterRole: RequesterRole(rawValue: row["requester_role"]) ?? .leader, group: row["is_group"],
            people: row["people"], drill: row["drill"], receivedAt: row["received_at"],
            status: CrisisView.Status(rawValue: row["status"]) ?? .open, acknowledgedAt: row["acknowledged_at"],
            acknowledgedBy: row["acknowledged_by"], assigned: decodeList(row["assigned"]),
            noOneOnDuty: row["no_one_on_duty"], clocks: clocks, pages: pages)
    }

    static func encodeList(_ list: [String]) -> String {
        String(decoding: try! JSONEncoder().encode(list), as: UTF8.self)
    }

    static func decodeList(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    static func encodeMap(_ map: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try! encoder.encode(map), as: UTF8.self)
    }

    static func decodeMap(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
