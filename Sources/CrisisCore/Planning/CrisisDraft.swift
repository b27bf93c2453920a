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
        /// Seconds after it is queued that its first attempt is due (the person's contact rule).
        public var after: TimeInterval
        /// Held until the crisis is acknowledged, then due at once (`AcknowledgementRules.releasedPages`).
        public var held: Bool

        public init(
            person: String, channel: String, step: Int, kind: PageMessage.Kind = .crisis, clock: ClockKind? = nil,
            after: TimeInterval = 0, held: Bool = false
        ) {
            self.person = person
            self.channel = channel
            self.step = step
            self.kind = kind
            self.clock = clock
            self.after = after
            self.held = held
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

extension CrisisDraft {
    /// When the engine must first decide on the crisis: stored with it, and the engine's alarm
    /// must go off no later.
    public var firstDeadline: Date? {
        Escalator.nextDeadline(
            CrisisSnapshot(
                reference: reference, receivedAt: receivedAt, assigned: assigned, progress: progress, clocks: clocks))
    }
}
