import CrisisCore
import CrisisStorage
import Foundation

/// A store that tells a `CommitWatch` how each of its writes went, so the daemon's health knows
/// whether commits work without any write path of its own having to remember to say so.
public struct WatchedCrisisStore: CrisisStore {
    private let base: any CrisisStore
    private let commits: CommitWatch
    private let clock: any WallClock

    public init(_ base: any CrisisStore, commits: CommitWatch, clock: any WallClock) {
        self.base = base
        self.commits = commits
        self.clock = clock
    }

    public func record(_ draft: CrisisDraft, claiming claim: ImmediateClaim?) async throws -> RecordedIntake {
        try await commits.watch(at: clock.now) { try await base.record(draft, claiming: claim) }
    }

    public func acknowledge(_ reference: CrisisReference, by person: String, actor: String, at now: Date)
        async throws -> AckReceipt?
    {
        try await commits.watch(at: clock.now) {
            try await base.acknowledge(reference, by: person, actor: actor, at: now)
        } wrote: {
            $0.map { !$0.alreadyAcknowledged } ?? false
        }
    }

    public func update(
        _ reference: CrisisReference, at now: Date,
        _ decide: @escaping @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) async throws -> CrisisUpdate? {
        try await commits.watch(at: clock.now) {
            try await base.update(reference, at: now, decide)
        } wrote: {
            $0 != nil
        }
    }

    public func decideDue(
        at now: Date, limit: Int, claiming claim: ImmediateClaim?,
        _ decide: @escaping @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) async throws -> DueDecisions {
        try await commits.watch(at: clock.now) {
            try await base.decideDue(at: now, limit: limit, claiming: claim, decide)
        } wrote: {
            !$0.updates.isEmpty
        }
    }

    public func nextDeadline() async throws -> Date? { try await base.nextDeadline() }

    public func append(_ entries: [JournalEntry]) async throws {
        try await commits.watch(at: clock.now) {
            try await base.append(entries)
        } wrote: {
            !entries.isEmpty
        }
    }

    public func claimDuePages(
        at now: Date, retry: RetryPolicy, excluding inFlight: Set<Int64>, holding: Set<PageRecipient>, limit: Int,
        retryLimit: Int, ackLinksValidFor: TimeInterval?
    ) async throws -> OutboxClaim {
        try await commits.watch(at: clock.now) {
            try await base.claimDuePages(
                at: now, retry: retry, excluding: inFlight, holding: holding, limit: limit, retryLimit: retryLimit,
                ackLinksValidFor: ackLinksValidFor)
        } wrote: {
            !$0.pages.isEmpty
        }
    }

    public func ackLink(tokenSHA256: String) async throws -> AckLink? {
        try await base.ackLink(tokenSHA256: tokenSHA256)
    }

    public func nextPageDue(excluding inFlight: Set<Int64>, holding: Set<PageRecipient>, retries: Bool)
        async throws -> Date?
    {
        try await base.nextPageDue(excluding: inFlight, holding: holding, retries: retries)
    }

    public func finishAttempt(
        _ page: OutboundPage, outcome: DeliveryOutcome, decision: RetryPolicy.Decision, at now: Date
    ) async throws {
        try await commits.watch(at: clock.now) {
            try await base.finishAttempt(page, outcome: outcome, decision: decision, at: now)
        }
    }

    public func addOverride(target: String, person: String, from: Date, to: Date, by actor: String, at now: Date)
        async throws -> RotaOverride
    {
        try await commits.watch(at: clock.now) {
            try await base.addOverride(target: target, person: person, from: from, to: to, by: actor, at: now)
        }
    }

    public func removeOverride(id: String, by actor: String, at now: Date) async throws -> RotaOverride? {
        try await commits.watch(at: clock.now) {
            try await base.removeOverride(id: id, by: actor, at: now)
        } wrote: {
            $0 != nil
        }
    }

    public func overrides() async throws -> [RotaOverride] { try await base.overrides() }

    public func crisis(_ reference: CrisisReference) async throws -> CrisisView? { try await base.crisis(reference) }

    public func source(of reference: CrisisReference) async throws -> String? { try await base.source(of: reference) }

    public func openCrises() async throws -> [CrisisView] { try await base.openCrises() }

    public func openSummary() async throws -> StatusLine.Summary { try await base.openSummary() }

    public func journal(reference: CrisisReference?, since: Date?, limit: Int) async throws -> [JournalEntry] {
        try await base.journal(reference: reference, since: since, limit: limit)
    }

    public func ping() async throws { try await base.ping() }
}
