import Foundation

/// What one engine decision or milestone changes in a crisis, applied in one transaction.
public struct CrisisUpdate: Sendable {
    /// The crisis's new progress and clocks. Clocks that had already ended are never changed.
    public var snapshot: CrisisSnapshot
    public var milestone: Milestone?
    public var pages: [CrisisDraft.Page]
    public var journal: [JournalEntry]

    public init(
        snapshot: CrisisSnapshot, milestone: Milestone? = nil, pages: [CrisisDraft.Page] = [],
        journal: [JournalEntry] = []
    ) {
        self.snapshot = snapshot
        self.milestone = milestone
        self.pages = pages
        self.journal = journal
    }
}
