import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// Intake: a new crisis goes in whole, with its clocks, first pages and journal entries.
extension SQLiteCrisisStore {
    /// Records a new crisis with its clocks, pages and journal entries, or returns the crisis an
    /// idempotency key already names.
    ///
    /// - Throws: `StoreError.referenceTaken` when the draft's reference is in use.
    public func record(_ draft: CrisisDraft, claiming claim: ImmediateClaim?) async throws -> RecordedIntake {
        let recording: @Sendable (Database, CommitStatus) throws -> RecordedIntake = { db, status in
            if let key = draft.idempotencyKey,
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql:
                            "SELECT id, reference, idempotency_fingerprint FROM crisis WHERE source = ? AND idempotency_key = ?"
                    ),
                    arguments: [draft.source, key])
            {
                guard row["idempotency_fingerprint"] as String? == draft.fingerprint else {
                    let existing = try row.reference("reference", in: "crisis", row: row["id"])!
                    throw StoreError.idempotencyKeyReused(existing: existing)
                }
                return RecordedIntake(.existing(try Self.view(db, crisisID: row["id"])!))
            }
            if try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM crisis WHERE reference = ?"),
                arguments: [draft.reference.rawValue]) == true
            {
                throw StoreError.referenceTaken
            }
            let intake = draft.intake
            // Its claimed pages go before any row is written: what their messages say is the
            // draft's, and their rows' ids are the next free ones (this is the only writer). The
            // crisis follows in the same transaction, whose status each page carries.
            let pageIDs = try Self.nextPageIDs(db, count: draft.pages.count)
            let queued = zip(draft.pages, pageIDs).map { page, id in
                QueuedPage(id: id, attempts: Self.firstAttempt(page, at: draft.receivedAt, claiming: claim).attempts)
            }
            let view = Self.view(recorded: draft, pages: queued)
            // Its pages carry the crisis as a page tells it, as every claimed page does.
            var pageView = view
            pageView.pages = []
            pageView.milestones = []
            let claimed =
                claim.map { Self.claims(draft.pages, ids: pageIDs, of: pageView, $0, at: draft.receivedAt) } ?? []
            Self.handOver(claimed, to: claim, claimedIn: status)
            try db.cachedStatement(
                sql: """
                    INSERT INTO crisis (reference, category, site, callback, requester_role, source, is_group, people,
                        drill, received_at, status, assigned, no_one_on_duty, idempotency_key, idempotency_fingerprint,
                        escalation_step, escalation_round, next_escalation_at, escalation_exhausted, next_deadline_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                draft.reference.rawValue, intake.category.rawValue, intake.site, intake.callback,
                intake.requesterRole.rawValue, draft.source, intake.group, intake.people, intake.drill,
                draft.receivedAt.stored, Self.encodeList(draft.assigned), draft.noOneOnDuty, draft.idempotencyKey,
                draft.idempotencyKey == nil ? nil : draft.fingerprint, draft.progress.step, draft.progress.round,
                draft.progress.nextAt.stored, draft.progress.exhausted,
                // The engine's next deadline in the same row, not by a second write of it.
                draft.firstDeadline.stored,
            ])
            let crisisID = db.lastInsertedRowID
            try Self.queue(db, draft.pages, crisisID: crisisID, at: draft.receivedAt, claiming: claim, ids: pageIDs)
            try Self.issueAckLinks(
                db, claimed, crisisID: crisisID, at: draft.receivedAt, validFor: claim?.ackLinksValidFor)
            try db.cachedStatement(
                sql: "INSERT INTO crisis_personal (crisis_id, requester_name, note) VALUES (?, ?, ?)"
            ).execute(arguments: [crisisID, intake.requesterName, intake.note])
            try Self.insert(db, draft.clocks, crisisID: crisisID)
            try Self.append(
                db, draft.journal + claimed.map { AttemptRules.claimed($0.attemptRef, at: draft.receivedAt) },
                of: (draft.reference, crisisID))
            return RecordedIntake(.created(view), claimed: claimed)
        }
        // With the writer idle, on this thread: the crisis's page waits for this transaction.
        return try await writer.write(handingOver: recording, onCallerIfIdle: true)
    }
}
