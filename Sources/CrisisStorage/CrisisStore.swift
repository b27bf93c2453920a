import CrisisCore
import Foundation

/// What crisisd asks of its storage, in value types: the port between the app and a database.
///
/// Every method that changes state returns only once its change is durable (on disk, or on a
/// quorum), and each is atomic with the journal entries it writes. Rules stay out of the store:
/// the core decides (`decide` closures, drafts, updates); the store keeps and finds. An
/// implementation passes the contract suite in `Tests/CrisisStoreContractTests` (SQLite, the
/// in-memory store in `CrisisTesting`, and later PostgreSQL).
public protocol CrisisStore: Sendable {
    // MARK: Intake

    /// Records a new crisis with its clocks, pages, journal and next deadline. A repeated
    /// idempotency key returns the crisis recorded first and writes nothing.
    ///
    /// - Throws: `StoreError.referenceTaken` (pick another reference), `.idempotencyKeyReused`.
    /// With `claiming`, the same transaction also claims the first attempt of the pages that
    /// `ImmediateClaim.claims` (attempt 1 and its retry instant on disk, an acknowledgement link
    /// issued, as `claimDuePages` would), gives them to `ImmediateClaim.handOver` to send (before
    /// the commit, or as it is written where nothing is synced), and returns them.
    func record(_ draft: CrisisDraft, claiming: ImmediateClaim?) async throws -> RecordedIntake

    // MARK: Changes the core decides

    /// The first acknowledgement stands: it ends the ack clock and cancels pages still waiting.
    /// Nil for an unknown reference.
    func acknowledge(_ reference: CrisisReference, by person: String, actor: String, at now: Date) async throws
        -> AckReceipt?

    /// Reads a crisis, lets `decide` work out what changes, and applies that atomically: a change
    /// committed first is seen, and a decision is taken once. Nil for an unknown crisis or when
    /// `decide` returns nil.
    func update(
        _ reference: CrisisReference, at now: Date,
        _ decide: @escaping @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) async throws -> CrisisUpdate?

    /// `decide` for each crisis whose next deadline is at or before `now`, earliest first, at
    /// most `limit` of them, all committed together.
    /// With `claiming`, the pass also claims the pages it queues that `ImmediateClaim.claims`, and
    /// gives each crisis's to `ImmediateClaim.handOver` as it is decided.
    /// The result carries the earliest next deadline after the pass (`DueDecisions.nextDeadline`).
    func decideDue(
        at now: Date, limit: Int, claiming: ImmediateClaim?,
        _ decide: @escaping @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) async throws -> DueDecisions

    /// The earliest next deadline of any crisis: when the engine must look again.
    func nextDeadline() async throws -> Date?

    /// Journal entries that belong to no other write (a reload, the daemon starting).
    func append(_ entries: [JournalEntry]) async throws

    // MARK: The page outbox

    /// Claims due pages for sending: each claimed attempt is durable, with its retry instant,
    /// before any request goes out. Retries (pages an attempt of which failed; one cut short by a
    /// crash is none) take at most `retryLimit` of the `limit` places.
    /// With `ackLinksValidFor`, each claimed attempt gets a new acknowledgement link (`SecretToken`)
    /// for its crisis and person, valid that long, stored hashed in the same transaction.
    ///
    /// Pages to a recipient in `holding` (rate-limited) stay where they are, but for notices to a
    /// requester, which go to each crisis's own call-back number.
    func claimDuePages(
        at now: Date, retry: RetryPolicy, excluding inFlight: Set<Int64>, holding: Set<PageRecipient>, limit: Int,
        retryLimit: Int, ackLinksValidFor: TimeInterval?
    ) async throws -> OutboxClaim

    /// The link whose token hashes to `tokenSHA256`, valid or not; nil when there is none.
    func ackLink(tokenSHA256: String) async throws -> AckLink?

    /// The earliest instant a pending page not in flight, nor to a recipient in `holding`, is
    /// due; without `retries`, only pages no attempt of which failed (not retries) count.
    func nextPageDue(excluding inFlight: Set<Int64>, holding: Set<PageRecipient>, retries: Bool) async throws -> Date?

    /// Records an attempt's outcome and what comes next. A page cancelled meanwhile is not tried
    /// again; a delivery that comes back for it is still recorded as delivered.
    func finishAttempt(_ page: OutboundPage, outcome: DeliveryOutcome, decision: RetryPolicy.Decision, at now: Date)
        async throws

    // MARK: Rota overrides

    func addOverride(target: String, person: String, from: Date, to: Date, by actor: String, at now: Date)
        async throws -> RotaOverride
    /// Nil when no override in force has this id.
    func removeOverride(id: String, by actor: String, at now: Date) async throws -> RotaOverride?
    func overrides() async throws -> [RotaOverride]

    // MARK: Reads

    func crisis(_ reference: CrisisReference) async throws -> CrisisView?
    /// Who reported the crisis (`requester:ID`, `crisisctl`); nil for an unknown reference.
    func source(of reference: CrisisReference) async throws -> String?
    /// Crises not resolved, newest first.
    func openCrises() async throws -> [CrisisView]
    /// How many crises are not resolved and their earliest deadline, as
    /// `StatusLine.Summary(openCrises())` would say, without reading each crisis.
    func openSummary() async throws -> StatusLine.Summary
    /// Oldest first; of one crisis, or since an instant, at most `limit` entries.
    func journal(reference: CrisisReference?, since: Date?, limit: Int) async throws -> [JournalEntry]
    /// Throws when the store cannot answer, or can no longer write.
    func ping() async throws
}

extension CrisisStore {
    /// Claims due pages without issuing acknowledgement links, as tests of the outbox alone do.
    public func claimDuePages(
        at now: Date, retry: RetryPolicy, excluding inFlight: Set<Int64>, limit: Int, retryLimit: Int
    ) async throws -> OutboxClaim {
        try await claimDuePages(
            at: now, retry: retry, excluding: inFlight, holding: [], limit: limit, retryLimit: retryLimit,
            ackLinksValidFor: nil)
    }

    /// Claims due pages with no recipient held.
    public func claimDuePages(
        at now: Date, retry: RetryPolicy, excluding inFlight: Set<Int64>, limit: Int, retryLimit: Int,
        ackLinksValidFor: TimeInterval?
    ) async throws -> OutboxClaim {
        try await claimDuePages(
            at: now, retry: retry, excluding: inFlight, holding: [], limit: limit, retryLimit: retryLimit,
            ackLinksValidFor: ackLinksValidFor)
    }

    public func nextPageDue(excluding inFlight: Set<Int64>, retries: Bool) async throws -> Date? {
        try await nextPageDue(excluding: inFlight, holding: [], retries: retries)
    }
}

extension CrisisStore {
    /// Decides what is due, claiming none of the pages: the sender takes them from the outbox.
    public func decideDue(
        at now: Date, limit: Int,
        _ decide: @escaping @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) async throws -> DueDecisions {
        try await decideDue(at: now, limit: limit, claiming: nil, decide)
    }

    /// Records a new crisis, claiming none of its pages: the sender takes them from the outbox.
    public func record(_ draft: CrisisDraft) async throws -> IntakeResult {
        try await record(draft, claiming: nil).result
    }
}
