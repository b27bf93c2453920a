import CrisisCore
import CrisisNotify
import CrisisStorage
import CrisisSystemd
import Foundation
import Logging

/// One claimed attempt at one page, and at the pages that go with it as one message (a rate
/// limit held them for the same person and channel): the request, then each outcome on disk.
///
/// It runs apart from the `PageSender` actor, so a slow commit or a slow receiver never holds
/// back the next page's request: a claimed page goes out at once.
struct PageDelivery: Sendable {
    let page: OutboundPage
    /// Pages listed in the same message, each with its attempt claimed; they share its outcome.
    var also: [OutboundPage] = []
    /// The page's channel, or the person's contact when a reload removed it; nil when neither is left.
    let notifier: (any Notifier)?
    /// The name of who acknowledged the crisis, for the leader's notice; nil before.
    var acknowledgedBy: String? = nil
    let retry: RetryPolicy
    let publicURL: String
    let store: any CrisisStore
    let clock: any WallClock
    let logger: Logger
    /// The request, when the hand-over from the store already started it.
    var started: StartedDelivery? = nil

    /// Sends the attempt and records its outcome; returns the outcome for the sender's count of
    /// failures by channel.
    @discardableResult
    func run() async -> DeliveryOutcome {
        let outcome = await send()
        await record(outcome)
        return outcome
    }

    /// Sends the attempt: the request only, its outcome not yet on disk.
    func send() async -> DeliveryOutcome {
        if let started { return await started.outcome() }
        guard let notifier else {
            return .failed(
                retryable: false,
                reason: "channel \"\(page.channel)\" is not in the config, nor any contact of \(page.person)")
        }
        return await notifier.deliver(fullMessage)
    }

    /// Records the outcome of each page the message carried.
    func record(_ outcome: DeliveryOutcome) async {
        let combined = also.isEmpty ? nil : fullMessage.id
        for page in [page] + also {
            await record(page, outcome: outcome, with: combined)
        }
    }

    /// The page's message, listing the pages that go with it.
    private var fullMessage: PageMessage {
        var message = message(page)
        if !also.isEmpty { message.also = also.map { PageMessage.Waiting(self.message($0)) } }
        return message
    }

    private func message(_ page: OutboundPage) -> PageMessage {
        Self.message(page, publicURL: publicURL, acknowledgedBy: acknowledgedBy)
    }

    /// What `page` says, its acknowledgement link under `publicURL`.
    static func message(_ page: OutboundPage, publicURL: String, acknowledgedBy: String?) -> PageMessage {
        PageMessage(
            id: "\(page.crisis.reference)-page-\(page.id)", kind: page.kind, clock: page.clock,
            reference: page.crisis.reference, category: page.crisis.category,
            site: page.crisis.site, callback: page.crisis.callback, drill: page.crisis.drill,
            receivedAt: page.crisis.receivedAt, clocks: page.crisis.clocks, recipient: page.person, step: page.step,
            attempt: page.attempt, publicURL: publicURL, ackToken: page.ackToken,
            acknowledgedBy: page.kind == .ackNotice ? acknowledgedBy : nil)
    }

    /// One page's outcome on disk, and in the log; `combined` names the message it went in
    /// when that listed several.
    private func record(_ page: OutboundPage, outcome: DeliveryOutcome, with combined: String?) async {
        var metadata = Self.metadata(page)
        if let combined { metadata["combined_in"] = "\(combined)" }
        let now = clock.now
        let decision = retry.decide(
            attempt: page.attempt, outcome: outcome, now: now, jitter: Double.random(in: 0...1))
        do {
            try await store.finishAttempt(page, outcome: outcome, decision: decision, at: now)
        } catch StoreError.claimNotCommitted {
            // Sent while its transaction synced to disk, which then failed: the write that claimed
            // it was answered with an error (or claims it again), and no row stands to record on.
            logger.warning(
                "page sent, but the transaction that claimed it did not commit: its outcome is not recorded",
                metadata: metadata)
            return
        } catch {
            // The claimed attempt is on disk with its retry instant: the page goes again then, as
            // the next attempt (at-least-once), unless its attempts are spent.
            logger.error(
                "cannot record a page outcome",
                metadata: metadata.merging(["error": "\(error)"]) { a, _ in a }.event(.storeWriteFailing))
        }
        switch (outcome, decision) {
        case (.delivered, _):
            logger.info("page delivered", metadata: metadata.event(.paged))
        case (.failed(_, let reason, _), .retry(let at)):
            logger.warning(
                "page failed; will retry",
                metadata: metadata.merging(["reason": "\(reason)", "next_attempt_at": "\(at.formatted(.iso8601))"]) {
                    a, _ in a
                }.event(.pageDeliveryFailing))
        case (.failed(_, let reason, _), _):
            logger.error(
                "page failed for good",
                metadata: metadata.merging(["reason": "\(reason)"]) { a, _ in a }.event(.pageDeliveryFailing))
        }
    }

    /// A page's fields for the log: ids, never names (`recipient` is the person's id).
    static func metadata(_ page: OutboundPage) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "crisis_ref": "\(page.crisis.reference)", "category": "\(page.crisis.category.rawValue)",
            "recipient": "\(page.person)", "channel": "\(page.channel)", "attempt": "\(page.attempt)",
            "page_kind": "\(page.kind.rawValue)",
        ]
        // Step 0 is a page outside the escalation steps: a clock's warning or breach, the exhausted targets.
        if page.step > 0 { metadata["step"] = "\(page.step)" }
        if let clock = page.clock { metadata["clock"] = "\(clock.rawValue)" }
        return metadata
    }
}
