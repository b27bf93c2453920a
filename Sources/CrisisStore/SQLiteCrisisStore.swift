import CrisisCore
import Foundation
import GRDB

/// crisisd's state in one SQLite file: crises, their clocks, the page outbox and the journal.
///
/// Every write is one transaction that also appends its journal entries, so the journal never
/// tells a story the tables do not. WAL with `synchronous=FULL`: a commit is on disk when it returns.
public final class SQLiteCrisisStore: Sendable {
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        // Not in `prepareDatabase`: the pool turns WAL on after it and sets `synchronous = NORMAL`,
        // which syncs only at checkpoints, so a power cut would lose crises already answered 201.
        // The writer is one connection for the pool's life, so setting it once holds.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
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
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, reference, idempotency_fingerprint FROM crisis WHERE source = ? AND idempotency_key = ?",
                    arguments: [draft.source, key])
            {
                guard row["idempotency_fingerprint"] as String? == draft.fingerprint else {
                    let existing = try row.reference("reference", in: "crisis", row: row["id"])!
                    throw StoreError.idempotencyKeyReused(existing: existing)
                }
                return .existing(try Self.view(db, crisisID: row["id"])!)
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM crisis WHERE reference = ?", arguments: [draft.reference.rawValue]) == true {
                throw StoreError.referenceTaken
            }
            let intake = draft.intake
            try db.execute(
                sql: """
                    INSERT INTO crisis (reference, category, site, callback, requester_role, source, is_group, people,
                        drill, received_at, status, assigned, no_one_on_duty, idempotency_key, idempotency_fingerprint,
                        escalation_step, escalation_round, next_escalation_at, escalation_exhausted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    draft.reference.rawValue, intake.category.rawValue, intake.site, intake.callback,
                    intake.requesterRole.rawValue, draft.source, intake.group, intake.people, intake.drill,
                    draft.receivedAt, Self.encodeList(draft.assigned), draft.noOneOnDuty, draft.idempotencyKey,
                    draft.idempotencyKey == nil ? nil : draft.fingerprint, draft.progress.step, draft.progress.round, draft.progress.nextAt, draft.progress.exhausted,
                ])
            let crisisID = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO crisis_personal (crisis_id, requester_name, note) VALUES (?, ?, ?)",
                arguments: [crisisID, intake.requesterName, intake.note])
            for clock in draft.clocks {
                try db.execute(
                    sql: "INSERT INTO clock (crisis_id, kind, started_at, due_at, warn_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [crisisID, clock.kind.rawValue, clock.startedAt, clock.dueAt, clock.warnAt])
            }
            try Self.queue(db, draft.pages, crisisID: crisisID, at: draft.receivedAt)
            try Self.append(db, draft.journal)
            try Self.storeNextDeadline(
                db, crisisID: crisisID,
                of: CrisisSnapshot(
                    reference: draft.reference, receivedAt: draft.receivedAt, assigned: draft.assigned,
                    progress: draft.progress, clocks: draft.clocks))
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
            if row["acknowledged_at"] as Date? != nil {
                return AckReceipt(
                    reference: reference, acknowledgedAt: row["acknowledged_at"], acknowledgedBy: row["acknowledged_by"],
                    alreadyAcknowledged: true, cancelledPages: 0)
            }
            try db.execute(
                sql: """
                    UPDATE crisis SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, next_escalation_at = NULL
                    WHERE id = ?
                    """,
                arguments: [now, person, crisisID])
            var entries = [
                JournalEntry(at: now, reference: reference, kind: .crisisAcknowledged, actor: actor, data: ["by": person])
            ]
            if let due = try Date.fetchOne(
                db, sql: "SELECT due_at FROM clock WHERE crisis_id = ? AND kind = 'ack' AND outcome IS NULL", arguments: [crisisID])
            {
                // A late acknowledgement still ends the clock breached, at its deadline.
                let outcome: ClockOutcome = now <= due ? .met : .breached
                let endedAt = outcome == .met ? now : due
                try db.execute(
                    sql: "UPDATE clock SET outcome = ?, ended_at = ?, ended_by = ? WHERE crisis_id = ? AND kind = 'ack'",
                    arguments: [outcome.rawValue, endedAt, person, crisisID])
                entries.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .clockEnded, actor: actor,
                        data: [
                            "clock": ClockKind.ack.rawValue, "outcome": outcome.rawValue,
                            "due_at": due.formatted(.iso8601), "ended_at": endedAt.formatted(.iso8601),
                        ]))
            }
            let cancelled = try Row.fetchAll(
                db, sql: "SELECT id, person, channel FROM page WHERE crisis_id = ? AND status = 'pending' AND kind = 'crisis'",
                arguments: [crisisID])
            try db.execute(
                sql: """
                    UPDATE page SET status = 'cancelled', next_attempt_at = NULL
                    WHERE crisis_id = ? AND status = 'pending' AND kind = 'crisis'
                    """,
                arguments: [crisisID])
            for page in cancelled {
                entries.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .pageCancelled, actor: actor,
                        data: ["page": "\(page["id"] as Int64)", "person": page["person"], "channel": page["channel"], "reason": "acknowledged"]))
            }
            try Self.append(db, entries)
            try Self.storeNextDeadline(db, crisisID: crisisID, of: try Self.snapshot(db, crisisID: crisisID))
            return AckReceipt(
                reference: reference, acknowledgedAt: now, acknowledgedBy: person, alreadyAcknowledged: false,
                cancelledPages: cancelled.count)
        }
    }

    /// Appends entries that belong to no other write (daemon start, config loaded).
    public func append(_ entries: [JournalEntry]) throws {
        try pool.write { db in try Self.append(db, entries) }
    }

    // MARK: - The engine's deadlines

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

    /// Reads a crisis, lets `decide` work out what changes, and applies that in the same write
    /// transaction: an acknowledgement committed first is seen, and a decision is taken once.
    ///
    /// - Returns: what `decide` returned, or nil for an unknown crisis.
    public func update(
        crisisID: Int64, at now: Date, _ decide: (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) throws -> CrisisUpdate? {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM crisis WHERE id = ?", arguments: [crisisID]) else { return nil }
            let before = try Self.snapshot(db, row: row)
            let recorded = try Self.milestones(db, crisisID: crisisID).map(\.kind)
            guard let update = try decide(before, recorded) else { return nil }
            try Self.apply(db, update, crisisID: crisisID, before: before, at: now)
            try Self.storeNextDeadline(db, crisisID: crisisID, of: update.snapshot)
            return update
        }
    }

    /// `update(crisisID:)` by reference.
    public func update(
        _ reference: CrisisReference, at now: Date, _ decide: (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) throws -> CrisisUpdate? {
        let id = try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM crisis WHERE reference = ?", arguments: [reference.rawValue])
        }
        guard let id else { return nil }
        return try update(crisisID: id, at: now, decide)
    }

    static func snapshot(_ db: Database, row: Row) throws -> CrisisSnapshot {
        try snapshot(db, crisisID: row["id"])
    }

    static func snapshot(_ db: Database, crisisID: Int64) throws -> CrisisSnapshot {
        let view = try view(db, crisisID: crisisID)!
        return CrisisSnapshot(
            reference: view.reference, receivedAt: view.receivedAt, acknowledgedAt: view.acknowledgedAt,
            acknowledgedBy: view.acknowledgedBy, resolved: view.status == .resolved, assigned: view.assigned,
            progress: view.escalation, clocks: view.clocks)
    }

    private static func apply(_ db: Database, _ update: CrisisUpdate, crisisID: Int64, before: CrisisSnapshot, at now: Date) throws {
        let after = update.snapshot
        if after.progress != before.progress {
            try db.execute(
                sql: """
                    UPDATE crisis SET escalation_step = ?, escalation_round = ?, next_escalation_at = ?, escalation_exhausted = ?
                    WHERE id = ?
                    """,
                arguments: [after.progress.step, after.progress.round, after.progress.nextAt, after.progress.exhausted, crisisID])
        }
        if after.resolved && !before.resolved {
            try db.execute(
                sql: "UPDATE crisis SET status = 'resolved', resolved_at = ?, next_escalation_at = NULL WHERE id = ?",
                arguments: [update.milestone?.at ?? now, crisisID])
        }
        // A clock ends exactly once: only rows still running are written.
        for clock in after.clocks where clock != before.clocks.first(where: { $0.kind == clock.kind }) {
            try db.execute(
                sql: """
                    UPDATE clock SET warned_at = ?, outcome = ?, ended_at = ?, ended_by = ?, reason = ?
                    WHERE crisis_id = ? AND kind = ? AND outcome IS NULL
                    """,
                arguments: [
                    clock.warnedAt, clock.outcome?.rawValue, clock.endedAt, clock.endedBy, clock.reason, crisisID,
                    clock.kind.rawValue,
                ])
        }
        if let milestone = update.milestone {
            try db.execute(
                sql: "INSERT INTO milestone (crisis_id, kind, at, recorded_at, by, to_person, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [crisisID, milestone.kind.rawValue, milestone.at, now, milestone.by, milestone.to, milestone.reason])
            if let outcome = milestone.outcome {
                try db.execute(sql: "UPDATE crisis_personal SET outcome = ? WHERE crisis_id = ?", arguments: [outcome, crisisID])
            }
        }
        try queue(db, update.pages, crisisID: crisisID, at: now)
        try append(db, update.journal)
    }

    // MARK: - Rota overrides

    /// Records cover written at run time, and journals it.
    public func addOverride(target: String, person: String, from: Date, to: Date, by actor: String, at now: Date) throws -> RotaOverride {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO rota_override (target, person, from_at, to_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [target, person, from, to, now, actor])
            let override = RotaOverride(
                id: "\(db.lastInsertedRowID)", target: target, person: person, from: from, to: to, createdBy: actor)
            try Self.append(db, [
                JournalEntry(
                    at: now, kind: .rotaOverrideAdded, actor: actor,
                    data: [
                        "id": override.id, "target": target, "person": person, "from": from.formatted(.iso8601),
                        "to": to.formatted(.iso8601),
                    ])
            ])
            return override
        }
    }

    /// Marks an override removed (it stays in the table) and journals it; nil when there is none.
    public func removeOverride(id: String, by actor: String, at now: Date) throws -> RotaOverride? {
        try pool.write { db in
            guard let number = Int64(id),
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM rota_override WHERE id = ? AND removed_at IS NULL", arguments: [number])
            else { return nil }
            try db.execute(
                sql: "UPDATE rota_override SET removed_at = ?, removed_by = ? WHERE id = ?", arguments: [now, actor, number])
            let override = Self.override(row)
            try Self.append(db, [
                JournalEntry(
                    at: now, kind: .rotaOverrideRemoved, actor: actor,
                    data: ["id": id, "target": override.target, "person": override.person])
            ])
            return override
        }
    }

    /// Overrides not removed, oldest first (so the newest wins where they overlap).
    public func overrides() throws -> [RotaOverride] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rota_override WHERE removed_at IS NULL ORDER BY id").map(Self.override)
        }
    }

    static func override(_ row: Row) -> RotaOverride {
        RotaOverride(
            id: "\(row["id"] as Int64)", target: row["target"], person: row["person"], from: row["from_at"], to: row["to_at"],
            createdBy: row["created_by"])
    }

    // MARK: - Reads

    public func crisis(_ reference: CrisisReference) throws -> CrisisView? {
        try pool.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM crisis WHERE reference = ?", arguments: [reference.rawValue])
            else { return nil }
            return try Self.view(db, crisisID: id)
        }
    }

    /// Who raised a crisis: the `source` its intake was recorded with, nil for an unknown reference.
    public func source(of reference: CrisisReference) throws -> String? {
        try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT source FROM crisis WHERE reference = ?", arguments: [reference.rawValue])
        }
    }

    /// Crises not yet resolved, newest first.
    public func openCrises() throws -> [CrisisView] {
        try pool.read { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM crisis WHERE status != 'resolved' ORDER BY received_at DESC, id DESC")
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
            return try rows.map { row in
                let id: Int64 = row["id"]
                return JournalEntry(
                    id: id, at: row["at"], reference: try row.reference("reference", in: "journal", row: id),
                    kind: try row.known("kind", in: "journal", row: id), actor: row["actor"],
                    data: Self.decodeMap(row["data"]))
            }
        }
    }

    /// A cheap read, for the health check: throws when the database cannot be read.
    public func ping() throws {
        _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
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
            db, sql: "SELECT rowid, * FROM clock WHERE crisis_id = ? ORDER BY due_at, kind", arguments: [crisisID]
        ).map { clock in
            let id: Int64 = clock["rowid"]
            return ResponseClock(
                kind: try clock.known("kind", in: "clock", row: id), startedAt: clock["started_at"],
                dueAt: clock["due_at"], warnAt: clock["warn_at"], warnedAt: clock["warned_at"],
                outcome: try clock.knownOrNil("outcome", in: "clock", row: id), endedAt: clock["ended_at"],
                endedBy: clock["ended_by"], reason: clock["reason"])
        }
        let pages = try Row.fetchAll(db, sql: "SELECT * FROM page WHERE crisis_id = ? ORDER BY id", arguments: [crisisID]).map { page in
            CrisisView.Page(
                id: page["id"], person: page["person"], channel: page["channel"], step: page["step"], status: page["status"],
                kind: page["kind"], attempts: page["attempts"], lastError: page["last_error"])
        }
        return CrisisView(
            reference: try row.reference("reference", in: "crisis", row: crisisID)!,
            category: try row.known("category", in: "crisis", row: crisisID), site: row["site"],
            callback: row["callback"],
            requesterRole: try row.known("requester_role", in: "crisis", row: crisisID), group: row["is_group"],
            people: row["people"], drill: row["drill"], receivedAt: row["received_at"],
            status: try row.known("status", in: "crisis", row: crisisID), acknowledgedAt: row["acknowledged_at"],
            acknowledgedBy: row["acknowledged_by"], assigned: decodeList(row["assigned"]),
            noOneOnDuty: row["no_one_on_duty"], clocks: clocks, pages: pages, escalation: progress(row),
            milestones: try milestones(db, crisisID: crisisID))
    }

    static func progress(_ row: Row) -> EscalationProgress {
        EscalationProgress(
            step: row["escalation_step"], round: row["escalation_round"], nextAt: row["next_escalation_at"],
            exhausted: row["escalation_exhausted"])
    }

    static func milestones(_ db: Database, crisisID: Int64) throws -> [Milestone] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM milestone WHERE crisis_id = ? ORDER BY at, id", arguments: [crisisID])
        return try rows.map { row in
            Milestone(
                kind: try row.known("kind", in: "milestone", row: row["id"]), at: row["at"], by: row["by"],
                to: row["to_person"], reason: row["reason"])
        }
    }

    static func queue(_ db: Database, _ pages: [CrisisDraft.Page], crisisID: Int64, at now: Date) throws {
        for page in pages {
            try db.execute(
                sql: """
                    INSERT INTO page (crisis_id, person, channel, step, kind, clock, status, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                    """,
                arguments: [
                    crisisID, page.person, page.channel, page.step, page.kind.rawValue, page.clock?.rawValue, now, now,
                ])
        }
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
