import CrisisCore
import Foundation

/// What one pass over the crises whose deadlines are due decided, committed in one transaction.
public struct DueDecisions: Sendable {
    /// The updates decided and applied, one per crisis that changed.
    public var updates: [CrisisUpdate] = []
    /// Crises that could not be decided (a row the store cannot read, a decision that threw), by
    /// reference where it could be read, with the reason: they stay as they were until mended,
    /// and do not hold up the others.
    public var undecided: [(reference: String, reason: String)] = []
    /// How many due crises the pass looked at: as many as the limit means more may be waiting.
    public var examined = 0
    /// Pages the pass claimed for sending at once (`ImmediateClaim`), attempt 1 on disk.
    public var claimed: [OutboundPage] = []
    /// The earliest next deadline of any crisis once the pass committed, read in its transaction:
    /// when the engine must look again, without another read.
    public var nextDeadline: Date?

    public init() {}
}
