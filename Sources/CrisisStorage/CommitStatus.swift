import Synchronization

/// Whether a write committed, for what it handed over before it did: a page it claimed goes out
/// while its transaction syncs to disk, and the page's outcome is recorded only if the write
/// committed (should it fail, its rows never existed and their ids may be taken by others).
public final class CommitStatus: Sendable {
    private let state = Atomic<UInt8>(CommitStatus.pending)
    private static let pending: UInt8 = 0
    private static let committed: UInt8 = 1
    private static let failed: UInt8 = 2

    /// The writer had nothing to do when this write came, and it commits alone: what it hands
    /// over may be started from its transaction's thread, which no other write is waiting for.
    public let writerWasIdle: Bool

    public init(writerWasIdle: Bool = false) { self.writerWasIdle = writerWasIdle }

    /// Whether the transaction committed; nil while it is under way.
    public var didCommit: Bool? {
        switch state.load(ordering: .acquiring) {
        case Self.committed: true
        case Self.failed: false
        default: nil
        }
    }

    /// Settles the outcome; the first settles it, later calls change nothing.
    public func settle(committed: Bool) {
        _ = state.compareExchange(
            expected: Self.pending, desired: committed ? Self.committed : Self.failed, ordering: .acquiringAndReleasing)
    }
}
