import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// Acknowledgement: the first one stands, meets the ack clock and cancels pages still pending.
extension SQLiteCrisisStore {
    /// Acknowledges a crisis: the first acknowledgement stands, the ack clock is met, and pages
    /// still waiting for a (re)try are cancelled. Returns nil for an unknown reference.
    public func acknowledge(_ reference: CrisisReference, by person: String, actor: String, at now: Date) async throws
        -> AckReceipt?
    {
        try await writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, status, acknowledged_at, acknowledged_by FROM crisis WHERE reference = ?",
                    arguments: [reference.rawValue])
            else { return nil }
            let crisisID: Int64 = row["id"]
            if row["acknowledged_at"] as Date? != nil {
                return AckReceipt(
                    reference: reference, acknowledgedAt: row["acknowledged_at"],
                    acknowledgedBy: row["acknowledged_by"],
                    alreadyAcknowledged: true, cancelledPages: 0)
            }
            try db.execute(
                sql: """
                    UPDATE crisis SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, next_escalation_at = NULL
                    WHERE id = ?
                    """,
                arguments: [now, person, crisisID])
            var entries = [
                JournalEntry(
                    at: now, reference: reference, kind: .crisisAcknowledged, actor: actor, data: ["by": person])
            ]
            if let due = try Date.fetchOne(
                db, sql: "SELECT due_at FROM clock WHERE crisis_id = ? AND kind = 'ack' AND outcome IS NULL",
                arguments: [crisisID])
            {
                // A late acknowledgement still ends the clock breached, at its deadline.
                let outcome: ClockOutcome = now <= due ? .met : .breached
                let endedAt = outcome == .met ? now : due
                try db.execute(
                    sql:
                        "UPDATE clock SET outcome = ?, ended_at = ?, ended_by = ? WHERE crisis_id = ? AND kind = 'ack'",
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
                db,
                sql:
                    "SELECT id, person, channel FROM page WHERE crisis_id = ? AND status = 'pending' AND kind = 'crisis'",
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
                        data: [
                            "page": "\(page["id"] as Int64)", "person": page["person"], "channel": page["channel"],
                            "reason": "acknowledged",
                        ]))
            }
            try Self.append(db, entries)
            try Self.storeNextDeadline(db, crisisID: crisisID, of: try Self.snapshot(db, crisisID: crisisID))
            return AckReceipt(
                reference: reference, acknowledgedAt: now, acknowledgedBy: person, alreadyAcknowledged: false,
                cancelledPages: cancelled.count)
        }
    }
}
