import CrisisCore
import CrisisStorage
import Foundation

/// Intake: a new crisis goes in whole, with its clocks, first pages and journal entries.
extension InMemoryCrisisStore {
    /// Records a new crisis, or returns the crisis an idempotency key from the same source names.
    ///
    /// - Throws: `StoreError.referenceTaken`, `StoreError.idempotencyKeyReused`.
    public func record(_ draft: CrisisDraft, claiming claim: ImmediateClaim?) async throws -> RecordedIntake {
        let recorded = try write { state in try state.record(draft, claiming: claim) }
        // Nothing to sync to disk here: its claimed pages are handed over as it is written.
        if let claim, !recorded.claimed.isEmpty { claim.handOver(recorded.claimed) }
        return recorded
    }
}

extension InMemoryCrisisStore.State {
    mutating func record(_ draft: CrisisDraft, claiming claim: ImmediateClaim?) throws -> RecordedIntake {
        // The key is looked up first: a repeated request finds its crisis even if its reference
        // has been taken since.
        if let key = draft.idempotencyKey,
            let existing = crises.indices.first(where: {
                crises[$0].source == draft.source && crises[$0].idempotencyKey == key
            })
        {
            guard crises[existing].fingerprint == draft.fingerprint else {
                throw StoreError.idempotencyKeyReused(existing: crises[existing].reference)
            }
            return RecordedIntake(.existing(view(existing)))
        }
        guard index(of: draft.reference) == nil else { throw StoreError.referenceTaken }
        let index = crises.count
        crises.append(
            InMemoryCrisisStore.StoredCrisis(
                reference: draft.reference, intake: draft.intake, source: draft.source,
                idempotencyKey: draft.idempotencyKey,
                fingerprint: draft.idempotencyKey == nil ? nil : draft.fingerprint, receivedAt: draft.receivedAt,
                assigned: draft.assigned, noOneOnDuty: draft.noOneOnDuty, progress: draft.progress,
                clocks: draft.clocks))
        crisisIndex[draft.reference] = index
        let pageIDs = queue(draft.pages, crisis: index, at: draft.receivedAt)
        append(draft.journal)
        storeNextDeadline(
            index,
            of: CrisisSnapshot(
                reference: draft.reference, receivedAt: draft.receivedAt, assigned: draft.assigned,
                progress: draft.progress, clocks: draft.clocks))
        let created = view(index)
        let claimed = claim.map { claimAtOnce(draft.pages, ids: pageIDs, $0, at: draft.receivedAt) } ?? []
        return RecordedIntake(.created(created), claimed: claimed)
    }
}
