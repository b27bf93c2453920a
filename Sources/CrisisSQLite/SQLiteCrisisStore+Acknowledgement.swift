import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// Acknowledgement, as `AcknowledgementRules` decides it: the first one stands, the clocks it
/// stops end, and the pages it stops are cancelled.
extension SQLiteCrisisStore {
    /// Acknowledges a crisis: the first acknowledgement stands, the ack clock is met, and pages
    /// still waiting for a (re)try are cancelled. Returns nil for an unknown reference.
    public func acknowledge(_ reference: CrisisReference, by person: String, actor: String, at now: Date) async throws
        -> AckReceipt?
    {
        try await writer.write { db in
            guard
                let crisisID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM crisis WHERE reference = ?", arguments: [reference.rawValue])
            else { return nil }
            let before = try Self.snapshot(db, crisisID: crisisID)
            guard let effect = AcknowledgementRules.apply(before, by: person, actor: actor, at: now) else {
                return AckReceipt(
                    reference: reference, acknowledgedAt: before.acknowledgedAt!,
                    acknowledgedBy: before.acknowledgedBy ?? "", alreadyAcknowledged: true, cancelledPages: 0)
            }
            try db.cachedStatement(
                sql: """
                    UPDATE crisis SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, next_escalation_at = ?
                    WHERE id = ?
                    """
            ).execute(arguments: [now.stored, person, effect.snapshot.progress.nextAt.stored, crisisID])
            try Self.writeClocks(db, effect.snapshot.clocks, before: before.clocks, crisisID: crisisID)
            let kinds = AcknowledgementRules.stoppedPages.map(\.rawValue).sorted()
            let stopped = "kind IN \(Self.placeholders(kinds))"
            let cancelled = try Row.fetchAll(
                db.cachedStatement(
                    sql:
                        "SELECT id, person, channel FROM page WHERE crisis_id = ? AND status = 'pending' AND \(stopped)"
                ),
                arguments: StatementArguments([crisisID] + kinds))
            try db.cachedStatement(
                sql: """
                    UPDATE page SET status = 'cancelled', next_attempt_at = NULL
                    WHERE crisis_id = ? AND status = 'pending' AND \(stopped)
                    """
            ).execute(arguments: StatementArguments([crisisID] + kinds))
            let released = AcknowledgementRules.releasedPages.map(\.rawValue).sorted()
            let releasedPages = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, person, channel, kind FROM page
                        WHERE crisis_id = ? AND status = 'held' AND kind IN \(Self.placeholders(released))
                        """),
                arguments: StatementArguments([crisisID] + released))
            try db.cachedStatement(
                sql: """
                    UPDATE page SET status = 'pending', next_attempt_at = ?
                    WHERE crisis_id = ? AND status = 'held' AND kind IN \(Self.placeholders(released))
                    """
            ).execute(arguments: [now.stored, crisisID] + StatementArguments(released))
            var entries = effect.journal
            for page in releasedPages {
                entries.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .pageQueued, actor: "crisisd",
                        data: [
                            "page": "\(page["id"] as Int64)", "person": page["person"], "channel": page["channel"],
                            "step": "0", "kind": page["kind"], "reason": "acknowledged",
                        ]))
            }
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
            try Self.storeNextDeadline(db, crisisID: crisisID, of: effect.snapshot)
            return AckReceipt(
                reference: reference, acknowledgedAt: now, acknowledgedBy: person, alreadyAcknowledged: false,
                cancelledPages: cancelled.count)
        }
    }
}
