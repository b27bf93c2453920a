import CrisisCore
import Foundation

/// Which of the pages a write queues it also claims for sending, in the same transaction: those
/// due at once on `channels`. An intake claims its first pages, and a pass over due deadlines
/// the pages of the steps, warnings and breaches it decides. Their first attempt is in the same
/// transaction as the change, and `handOver` takes them as soon as they are written (a pass's
/// crisis by crisis), before the commit's sync to disk: their requests go out while it syncs,
/// with no second transaction before them. Pages on other channels wait in the outbox for the
/// sender, as every later page does.
public struct ImmediateClaim: Sendable {
    /// The channels whose pages may be claimed at once: those the sender never holds back (no
    /// per-recipient limit applies to them).
    public var channels: Set<String>
    public var retry: RetryPolicy
    /// How long the acknowledgement link issued with each claimed page is valid; nil for none.
    public var ackLinksValidFor: TimeInterval?
    /// Takes claimed pages as soon as they are written (a store calls it before the commit's sync
    /// to disk, on the thread of the write's transaction: it must not block). Should their write or its transaction
    /// then fail, each page's `claimedIn` says so, and nothing of the crisis or step that paged is
    /// on disk: no answer said "received" for it, and a pass decides the step again. A write whose
    /// transaction failed for another write's sake is done again alone: if that commits, its
    /// pages are handed over again, the same pages with (given `linkKey`) the same links.
    public var handOver: @Sendable ([OutboundPage]) -> Void
    /// When set, each claimed page's link token is derived from this key and the page (its
    /// crisis's reference, its id, its attempt: `linkToken(for:)`) rather than drawn at random.
    /// A page can go out and its transaction then fail: written again (alone, after the failed
    /// commit; or by a pass done again after a crash), the same page gets the same id and the same
    /// token, so the link in the page that went first works once the page is committed, and a
    /// receiver that drops a repeated `webhook-id` keeps a working link.
    public let linkKey: [UInt8]?
    private let linkTokens: SecretToken.Deriver?

    public init(
        channels: Set<String>, retry: RetryPolicy, ackLinksValidFor: TimeInterval?, linkKey: [UInt8]? = nil,
        handOver: @escaping @Sendable ([OutboundPage]) -> Void = { _ in }
    ) {
        self.channels = channels
        self.retry = retry
        self.ackLinksValidFor = ackLinksValidFor
        self.linkKey = linkKey
        linkTokens = linkKey.map(SecretToken.Deriver.init(key:))
        self.handOver = handOver
    }

    /// The token of the link `page` carries: derived from `linkKey`, or random without one.
    public func linkToken(for page: OutboundPage) -> String {
        guard let linkTokens else { return SecretToken.generate() }
        return linkTokens.token(subject: "ack-link/\(page.crisis.reference)/\(page.id)/\(page.attempt)")
    }

    /// Whether this queued page is claimed at once.
    public func claims(_ page: CrisisDraft.Page) -> Bool {
        !page.held && page.after <= 0 && channels.contains(page.channel)
    }
}

/// A recorded intake, with the pages its transaction claimed (none for an existing crisis).
public struct RecordedIntake: Sendable {
    public var result: IntakeResult
    /// Claimed pages, attempt 1 on disk, each with its acknowledgement link's token.
    public var claimed: [OutboundPage]

    public init(_ result: IntakeResult, claimed: [OutboundPage] = []) {
        self.result = result
        self.claimed = claimed
    }
}
