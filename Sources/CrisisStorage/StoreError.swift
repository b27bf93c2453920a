import CrisisCore

/// Why a store refused a write; nothing of it was written.
public enum StoreError: Error, Sendable, Equatable {
    /// The reference is in use: pick another and try again.
    case referenceTaken
    /// The idempotency key was first used for a different report.
    case idempotencyKeyReused(existing: CrisisReference)
    /// The attempt was handed over before the transaction that claimed it committed, and that
    /// transaction failed: nothing of it is on disk to record an outcome against.
    case claimNotCommitted
}
