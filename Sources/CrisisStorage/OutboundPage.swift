import CrisisCore
import Foundation

/// A page due for an attempt, with the crisis it is about.
public struct OutboundPage: Sendable {
    /// The page's identity in the store, for recording its attempts.
    public var id: Int64
    /// The crisis as the page tells it: without its pages and milestones, which no page shows
    /// (a pass claims pages for many crises in one transaction and reads no more than it sends).
    public var crisis: CrisisView
    public var person: String
    public var channel: String
    public var step: Int
    public var kind: PageMessage.Kind
    public var clock: ClockKind?
    /// This attempt's number, from 1.
    public var attempt: Int
    /// Whether an earlier attempt failed: a retry, which takes its place in the retries' share.
    /// An attempt cut short by a crash (no outcome) does not make one.
    public var isRetry = false
    /// The acknowledgement link's token issued with this attempt (kept in memory only: the store
    /// has its hash); nil when the claim issued none.
    public var ackToken: String?
    /// Whether the write that claimed this attempt committed, when the page was handed over
    /// before it did (`ImmediateClaim.handOver`): its outcome is recorded only if it did.
    public var claimedIn: CommitStatus?

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

extension OutboundPage {
    /// This attempt, as the core's attempt rules take it.
    public var attemptRef: AttemptRules.Attempt {
        AttemptRules.Attempt(
            page: id, person: person, channel: channel, number: attempt, reference: crisis.reference)
    }
}
