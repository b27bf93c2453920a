import CrisisCore
import Foundation

/// Everything one intake writes, decided before the transaction opens.
public struct CrisisDraft: Sendable {
    public struct Page: Sendable, Equatable {
        public var person: String
        public var channel: String
        public var step: Int
        public var kind: PageMessage.Kind
        /// The clock a warning or breach page is about.
        public var clock: ClockKind?

        public init(
            person: String, channel: String, step: Int, kind: PageMessage.Kind = .crisis, clock: ClockKind? = nil
        ) {
            self.person = person
            self.channel = channel
            self.step = step
            self.kind = kind
            self.clock = clock
        }
    }

    public var reference: CrisisReference
    public var intake: Intake
    /// Who reported it: `requester:ID` over HTTP, `crisisctl` over the control socket.
    public var source: String
    public var idempotencyKey: String?
    public var receivedAt: Date
    public var assigned: [String]
    public var noOneOnDuty: Bool
    public var clocks: [ResponseClock]
    public var progress: EscalationProgress
    public var pages: [Page]
    public var journal: [JournalEntry]

    public init(
        reference: CrisisReference, intake: Intake, source: String, idempotencyKey: String?, receivedAt: Date,
        assigned: [String], noOneOnDuty: Bool, clocks: [ResponseClock], progress: EscalationProgress, pages: [Page],
        journal: [JournalEntry]
    ) {
        self.reference = reference
        self.intake = intake
        self.source = source
        self.idempotencyKey = idempotencyKey
        self.receivedAt = receivedAt
        self.assigned = assigned
        self.noOneOnDuty = noOneOnDuty
        self.clocks = clocks
        self.progress = progress
        self.pages = pages
        self.journal = journal
    }
}

/// The result of recording an intake.
public enum IntakeResult: Sendable {
    /// A new crisis, committed.
    case created(CrisisView)
    /// The idempotency key named a crisis recorded before; nothing was written.
    case existing(CrisisView)
}

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

/// A page due for an attempt, with the crisis it is about.
public struct OutboundPage: Sendable {
    /// The page's identity in the store, for recording its attempts.
    public var id: Int64
    public var crisis: CrisisView
    public var person: String
    public var channel: String
    public var step: Int
    public var kind: PageMessage.Kind
    public var clock: ClockKind?
    /// This attempt's number, from 1.
    public var attempt: Int

    public init(
        id: Int64, crisis: CrisisView, person: String, channel: String, step: Int, kind: PageMessage.Kind,
        clock: ClockKind?, attempt: Int
    ) {
        self.id = id
        self.crisis = crisis
        self.person = person
        self.channel = channel
        self.step = step
        self.kind = kind
        self.clock = clock
        self.attempt = attempt
    }
}

public enum StoreError: Error, Sendable, Equatable {
    /// The reference is in use: pick another and try again.
    case referenceTaken
    /// The idempotency key was first used for a different report.
    case idempotencyKeyReused(existing: CrisisReference)
}

extension CrisisDraft {
    /// What the report said, in a stable form: a repeated key must repeat the same report.
    public var fingerprint: String {
        let i = intake
        return [
            i.category.rawValue, i.site, i.callback, i.requesterName ?? "", i.requesterRole.rawValue, "\(i.group)",
            i.people.map(String.init) ?? "", i.note ?? "", "\(i.drill)",
        ].map { $0.replacingOccurrences(of: "\u{1F}", with: " ") }.joined(separator: "\u{1F}")
    }
}
