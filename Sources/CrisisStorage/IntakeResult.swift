import CrisisCore

/// The result of recording an intake.
public enum IntakeResult: Sendable {
    /// A new crisis, committed.
    case created(CrisisView)
    /// The idempotency key named a crisis recorded before; nothing was written.
    case existing(CrisisView)
}
