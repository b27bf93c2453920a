import CrisisCore

/// Why a store refused a write; nothing of it was written.
public enum StoreError: Error, Sendable, Equatable {
    /// The reference is in use: pick another and try again.
    case referenceTaken
    /// The idempotency key was first used for a different report.
    case idempotencyKeyReused(existing: CrisisReference)
}
