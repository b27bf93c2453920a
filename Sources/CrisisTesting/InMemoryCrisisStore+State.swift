import CrisisCore
import CrisisStorage
import Foundation

/// What the in-memory store keeps, shaped like the SQLite store's tables: a row's id is its
/// place in its list plus one, as SQLite's rowids count from 1 with nothing ever deleted.
extension InMemoryCrisisStore {
    struct State: Sendable {
        var crises: [StoredCrisis] = []
        /// Reference to place in `crises`.
        var crisisIndex: [CrisisReference: Int] = [:]
        var pages: [StoredPage] = []
        var journal: [JournalEntry] = []
        /// Acknowledgement links by the SHA-256 of their token.
        var ackLinks: [String: AckLink] = [:]
        var overrides: [StoredOverride] = []
    }

    struct StoredCrisis: Sendable {
        var reference: CrisisReference
        /// The report whole, requester name and note included: they are kept, never shown.
        var intake: Intake
        var source: String
        var idempotencyKey: String?
        var fingerprint: String?
        var receivedAt: Date
        var status: CrisisView.Status = .open
        var acknowledgedAt: Date?
        var acknowledgedBy: String?
        var resolvedAt: Date?
        var assigned: [String]
        var noOneOnDuty: Bool
        var progress: EscalationProgress
        /// In the order they were recorded; a view sorts them.
        var clocks: [ResponseClock]
        var milestones: [StoredMilestone] = []
        /// How the crisis ended, from the `resolved` milestone: kept, never shown.
        var outcome: String?
        var pageIDs: [Int64] = []
        var nextDeadline: Date?
    }

    struct StoredMilestone: Sendable {
        var milestone: Milestone
        var recordedAt: Date
    }

    struct StoredPage: Sendable {
        var id: Int64
        var crisis: Int
        var person: String
        var channel: String
        var step: Int
        var kind: PageMessage.Kind
        var clock: ClockKind?
        var status: PageStatus = .pending
        var attempts = 0
        var nextAttemptAt: Date?
        var lastError: String?
        var createdAt: Date
    }

    struct StoredOverride: Sendable {
        var override: RotaOverride
        var createdAt: Date
        var removedAt: Date?
        var removedBy: String?
    }
}

/// Crises as the port hands them out, and the writes every change shares.
extension InMemoryCrisisStore.State {
    func index(of reference: CrisisReference) -> Int? { crisisIndex[reference] }

    /// The crisis as `CrisisView`: clocks by deadline (then kind), pages in the order queued,
    /// milestones by when they happened, without their free-text outcome.
    func view(_ index: Int) -> CrisisView {
        let crisis = crises[index]
        let clocks = crisis.clocks.sorted { a, b in
            a.dueAt != b.dueAt ? a.dueAt < b.dueAt : a.kind.rawValue < b.kind.rawValue
        }
        let pageViews = crisis.pageIDs.map { id in
            let page = self.pages[Int(id) - 1]
            return CrisisView.Page(
                id: page.id, person: page.person, channel: page.channel, step: page.step,
                status: page.status.rawValue, kind: page.kind.rawValue, attempts: page.attempts,
                lastError: page.lastError)
        }
        // A stable sort: milestones at the same instant stay in the order they were recorded.
        let milestones = crisis.milestones.enumerated()
            .sorted { a, b in
                a.element.milestone.at != b.element.milestone.at
                    ? a.element.milestone.at < b.element.milestone.at : a.offset < b.offset
            }
            .map { Self.shown($0.element.milestone) }
        let intake = crisis.intake
        return CrisisView(
            reference: crisis.reference, category: intake.category, site: intake.site, callback: intake.callback,
            requesterRole: intake.requesterRole, group: intake.group, people: intake.people, drill: intake.drill,
            receivedAt: crisis.receivedAt, status: crisis.status, acknowledgedAt: crisis.acknowledgedAt,
            acknowledgedBy: crisis.acknowledgedBy, assigned: crisis.assigned, noOneOnDuty: crisis.noOneOnDuty,
            clocks: clocks, pages: pageViews, escalation: crisis.progress, milestones: milestones)
    }

    /// A milestone as a view shows it: its free-text outcome stays in the store.
    static func shown(_ milestone: Milestone) -> Milestone {
        Milestone(
            kind: milestone.kind, at: milestone.at, by: milestone.by, to: milestone.to, reason: milestone.reason,
            clock: milestone.clock)
    }

    /// The places in `crises` of those whose next deadline is at or before `now`, earliest first
    /// (the first recorded first among equal deadlines), at most `limit`.
    func dueCrises(at now: Date, limit: Int) -> [Int] {
        var due: [(index: Int, deadline: Date)] = []
        for (index, crisis) in crises.enumerated() {
            if let deadline = crisis.nextDeadline, deadline <= now { due.append((index, deadline)) }
        }
        due.sort { a, b in a.deadline != b.deadline ? a.deadline < b.deadline : a.index < b.index }
        return Array(due.prefix(limit: limit).map(\.index))
    }

    /// What the core decides on, read from the view as the SQLite store reads it.
    func snapshot(_ index: Int) -> CrisisSnapshot {
        let view = view(index)
        return CrisisSnapshot(
            reference: view.reference, receivedAt: view.receivedAt, acknowledgedAt: view.acknowledgedAt,
            acknowledgedBy: view.acknowledgedBy, resolved: view.status == .resolved, group: view.group,
            assigned: view.assigned, progress: view.escalation, clocks: view.clocks)
    }

    /// Keeps the crisis's next deadline at the core's rule, as every write that changes it must.
    mutating func storeNextDeadline(_ index: Int, of snapshot: CrisisSnapshot) {
        crises[index].nextDeadline = Escalator.nextDeadline(snapshot)
    }

    /// Queues pages for a crisis, due at once.
    /// Queues the pages; returns their ids, in order.
    @discardableResult
    mutating func queue(_ drafts: [CrisisDraft.Page], crisis index: Int, at now: Date) -> [Int64] {
        var ids: [Int64] = []
        for draft in drafts {
            let id = Int64(pages.count + 1)
            pages.append(
                InMemoryCrisisStore.StoredPage(
                    id: id, crisis: index, person: draft.person, channel: draft.channel, step: draft.step,
                    kind: draft.kind, clock: draft.clock, status: draft.held ? .held : .pending,
                    nextAttemptAt: draft.held ? nil : now + draft.after, createdAt: now))
            crises[index].pageIDs.append(id)
            ids.append(id)
        }
        return ids
    }

    /// Appends journal entries, numbering them as they go in.
    mutating func append(_ entries: [JournalEntry]) {
        for var entry in entries {
            entry.id = Int64(journal.count + 1)
            journal.append(entry)
        }
    }
}

extension Collection {
    /// The first `limit` elements, as SQL's `LIMIT` takes them: a negative limit is no limit.
    func prefix(limit: Int) -> SubSequence { limit < 0 ? self[...] : prefix(limit) }
}
