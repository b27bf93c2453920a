import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// Updates the core decides (escalation steps, clock warnings and breaches, milestones),
/// read and applied in one write transaction.
extension SQLiteCrisisStore {
    public typealias Decide = @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?

    /// Reads a crisis, lets `decide` work out what changes, and applies that in the same write
    /// transaction: an acknowledgement committed first is seen, and a decision is taken once.
    ///
    /// - Returns: what `decide` returned, or nil for an unknown crisis.
    public func update(_ reference: CrisisReference, at now: Date, _ decide: @escaping Decide) async throws
        -> CrisisUpdate?
    {
        try await writer.write { db in
            guard
                let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM crisis WHERE reference = ?", arguments: [reference.rawValue])
            else { return nil }
            return try Self.update(db, crisisID: id, at: now, decide)?.update
        }
    }

    /// Decides every crisis whose next deadline is due, earliest first, at most `limit`, in one
    /// transaction. A crisis that cannot be decided (a row the store cannot read, a decision that
    /// throws) is reported and left as it was; the others still commit.
    public func decideDue(
        at now: Date, limit: Int, claiming claim: ImmediateClaim?, _ decide: @escaping Decide
    ) async throws -> DueDecisions {
        try await writer.write(handingOver: { db, status in
            let due = try Row.fetchAll(db.cachedStatement(sql: Self.dueCrisesSQL), arguments: [now.stored, limit])
            var decisions = DueDecisions()
            decisions.examined = due.count
            for row in due {
                let id: Int64 = row["id"]
                do {
                    // Each in a savepoint: a crisis that cannot be read leaves no half-applied change.
                    let decided = try db.inCachedSavepoint {
                        guard let decided = try Self.update(db, crisisID: id, at: now, claiming: claim, decide) else {
                            return nil as (update: CrisisUpdate, claimed: [OutboundPage])?
                        }
                        guard let claim, decided.update.pages.contains(where: claim.claims) else {
                            return (decided.update, [])
                        }
                        let view = try Self.pageView(decided.row, crisisID: id, decided: decided.update.snapshot)
                        let claimed = try Self.claimAtOnce(
                            db, decided.update.pages, ids: decided.pageIDs, of: view, crisisID: id, claim, at: now)
                        return (decided.update, claimed)
                    }
                    if let decided {
                        decisions.updates.append(decided.update)
                        decisions.claimed += decided.claimed
                        // The most overdue crisis is decided first: its pages go at once, not
                        // after the rest of the batch and the commit's sync to disk.
                        Self.handOver(decided.claimed, to: claim, claimedIn: status)
                    }
                } catch {
                    // The whole transaction is gone (a full disk): nothing of this batch stands.
                    guard db.isInsideTransaction else { throw error }
                    decisions.undecided.append(
                        (reference: row["reference"] ?? "crisis row \(id)", reason: "\(error)"))
                }
            }
            decisions.nextDeadline = try Self.nextDeadline(db)
            return decisions
        })
    }

    /// The update applied, the ids of the pages it queued, and the crisis row as read before it;
    /// nil when there was nothing to decide.
    /// - Parameter claim: the pages it takes are queued with their first attempt claimed, for
    ///   `claimAtOnce` to hand out.
    static func update(
        _ db: Database, crisisID: Int64, at now: Date, claiming claim: ImmediateClaim? = nil, _ decide: Decide
    ) throws -> (update: CrisisUpdate, pageIDs: [Int64], row: Row)? {
        guard let row = try Self.crisisRow(db, crisisID: crisisID) else { return nil }
        let before = try Self.snapshot(db, row: row)
        let recorded = try Self.milestones(db, crisisID: crisisID).map(\.kind)
        guard let update = try decide(before, recorded) else {
            // Nothing to decide: a stored deadline that says otherwise is stale; mend it.
            try Self.storeNextDeadline(db, crisisID: crisisID, of: before)
            return nil
        }
        let pageIDs = try Self.apply(db, update, crisisID: crisisID, before: before, at: now, claiming: claim)
        return (update, pageIDs, row)
    }

    /// What the core decides on: the crisis row and its clocks. Not its pages or milestones (a
    /// view reads those too): a pass decides many crises in one transaction.
    static func snapshot(_ db: Database, row: Row) throws -> CrisisSnapshot {
        let id: Int64 = row["id"]
        let status: CrisisView.Status = try row.known("status", in: "crisis", row: id)
        return CrisisSnapshot(
            reference: try row.reference("reference", in: "crisis", row: id)!, receivedAt: row["received_at"],
            acknowledgedAt: row["acknowledged_at"], acknowledgedBy: row["acknowledged_by"],
            resolved: status == .resolved, group: row["is_group"], assigned: decodeList(row["assigned"]),
            progress: progress(row), clocks: try clocks(db, crisisID: id))
    }

    static func snapshot(_ db: Database, crisisID: Int64) throws -> CrisisSnapshot {
        guard let row = try crisisRow(db, crisisID: crisisID) else {
            throw UnreadableValue(table: "crisis", row: crisisID, column: "id", value: "no such crisis")
        }
        return try snapshot(db, row: row)
    }

    /// Returns the ids of the pages the update queued, in order.
    private static func apply(
        _ db: Database, _ update: CrisisUpdate, crisisID: Int64, before: CrisisSnapshot, at now: Date,
        claiming claim: ImmediateClaim?
    ) throws -> [Int64] {
        let after = update.snapshot
        if after.progress != before.progress {
            // With the next deadline, which every update stores: one write of the row, not two.
            try db.cachedStatement(
                sql: """
                    UPDATE crisis SET escalation_step = ?, escalation_round = ?, next_escalation_at = ?, escalation_exhausted = ?,
                        next_deadline_at = ?
                    WHERE id = ?
                    """
            ).execute(arguments: [
                after.progress.step, after.progress.round, after.progress.nextAt.stored, after.progress.exhausted,
                Escalator.nextDeadline(after).stored, crisisID,
            ])
        } else {
            try storeNextDeadline(db, crisisID: crisisID, of: after)
        }
        if after.resolved && !before.resolved {
            try db.cachedStatement(
                sql: "UPDATE crisis SET status = 'resolved', resolved_at = ?, next_escalation_at = NULL WHERE id = ?"
            ).execute(arguments: [(update.milestone?.at ?? now).stored, crisisID])
        }
        try writeClocks(db, after.clocks, before: before.clocks, crisisID: crisisID)
        if let milestone = update.milestone {
            try db.cachedStatement(
                sql: """
                    INSERT INTO milestone (crisis_id, kind, at, recorded_at, by, to_person, reason, clock)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                crisisID, milestone.kind.rawValue, milestone.at.stored, now.stored, milestone.by, milestone.to,
                milestone.reason,
                milestone.clock?.rawValue,
            ])
            if let outcome = milestone.outcome {
                try db.cachedStatement(sql: "UPDATE crisis_personal SET outcome = ? WHERE crisis_id = ?").execute(
                    arguments: [outcome, crisisID])
            }
        }
        let pageIDs = try queue(db, update.pages, crisisID: crisisID, at: now, claiming: claim).map(\.id)
        try append(db, update.journal, of: (before.reference, crisisID))
        return pageIDs
    }

    /// Writes the clocks that changed and the clocks a milestone started. A clock ends exactly
    /// once: only rows still running are written.
    static func writeClocks(_ db: Database, _ clocks: [ResponseClock], before: [ResponseClock], crisisID: Int64) throws
    {
        for clock in clocks {
            guard let old = before.first(where: { $0.kind == clock.kind }) else {
                try insert(db, clock, crisisID: crisisID)
                continue
            }
            guard clock != old else { continue }
            try db.cachedStatement(
                sql: """
                    UPDATE clock SET warned_at = ?, outcome = ?, ended_at = ?, ended_by = ?, reason = ?
                    WHERE crisis_id = ? AND kind = ? AND outcome IS NULL
                    """
            ).execute(arguments: [
                clock.warnedAt.stored, clock.outcome?.rawValue, clock.endedAt.stored, clock.endedBy, clock.reason,
                crisisID,
                clock.kind.rawValue,
            ])
        }
    }

    static func insert(_ db: Database, _ clock: ResponseClock, crisisID: Int64) throws {
        try insert(db, [clock], crisisID: crisisID)
    }

    /// Inserts `clocks` in one statement: an intake starts three, and each statement run costs
    /// about as much as a row.
    static func insert(_ db: Database, _ clocks: [ResponseClock], crisisID: Int64) throws {
        guard !clocks.isEmpty else { return }
        var arguments: [(any DatabaseValueConvertible)?] = []
        arguments.reserveCapacity(clocks.count * 12)
        for clock in clocks {
            arguments += [
                crisisID, clock.kind.rawValue, clock.label, clock.stop.rawValue, clock.startedAt.stored,
                clock.dueAt.stored, clock.warnAt.stored, clock.warnedAt.stored, clock.outcome?.rawValue,
                clock.endedAt.stored, clock.endedBy, clock.reason,
            ]
        }
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        let values = Array(repeating: row, count: clocks.count).joined(separator: ", ")
        try db.cachedStatement(
            sql: """
                INSERT INTO clock (crisis_id, kind, label, stops, started_at, due_at, warn_at, warned_at, outcome, ended_at, ended_by, reason)
                VALUES \(values)
                """
        ).execute(arguments: StatementArguments(arguments))
    }
}
