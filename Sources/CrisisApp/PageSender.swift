import CrisisConfig
import CrisisCore
import CrisisNotify
import CrisisStorage
import CrisisSystemd
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Delivers the page outbox: at once when a page is queued, and at each retry's instant after
/// a failure. It never polls: it sleeps on a wall-clock alarm set to the earliest due page.
///
/// Pages are at-least-once, and at most `max_attempts` sends: an attempt is on disk (its number,
/// and the instant to retry should no outcome follow) before the request goes out, and its outcome
/// after. A crash in between sends that page again at its backoff, as the next attempt. The one
/// exception is the page an intake or a pass claims (`ImmediateClaim`): it goes out while the
/// transaction that claimed it syncs to disk. Should that transaction be lost, so is what paged
/// (the crisis, which no answer yet called received; the step, which the next pass decides again),
/// and a write done again (alone, or by a pass after a restart) sends the same page again, with
/// the same `webhook-id` and, from its derived token, a link that works.
public actor PageSender: Service, ReloadSubscriber, ClaimedPageSink {
    /// Requests out at once at most: a burst goes out at a steady pace, not all at once. With 16,
    /// a burst of intakes on two busy cores left pages waiting for a place: a page's p99 rose
    /// from about 60 to 80-580 ms as more crises were accepted a second; 32 halved it
    /// (`Benchmarks/compare.py`, burst row).
    static let parallelSends = 32
    /// Of those, retries take at most this many, so failing pages never hold back a new one.
    static let parallelRetries = 8
    /// Requests their hand-over started out at once at most, each in a free place: the pages of
    /// a pass after a quiet hour start there up to this many, the rest through the loop.
    static let parallelStartsAtHandOver = 4

    private let store: any CrisisStore
    private var notifiers: [String: any Notifier]
    /// Each person's contact channels in the config in force, for pages whose channel a reload removed.
    private var contacts: [String: [String]]
    private var names: [String: String]
    private var retry: RetryPolicy
    private var publicURL: String
    private var ackLinkValidFor: TimeInterval
    private let clock: any WallClock
    private let logger: Logger
    private let wakeSignal: WakeSignal
    /// Whether the outbox must be read: raised by what may have queued a page or freed one to
    /// claim (an intake's unclaimed pages, a failed attempt's retry, a place freed while pages
    /// waited for one) and by the alarm. A wake only for pages already claimed leaves it alone.
    private let outboxAsked = PassRequest()
    /// The last read of the outbox may have left due pages behind for want of a place (every
    /// place taken, its claim filled what was free, or retries at their share): the next place
    /// freed must read it again.
    private var outboxWaitsForAPlace = false
    /// Pages whose attempt is out, and whether each is a retry.
    private var inFlight: [Int64: Bool] = [:]
    /// Pages in flight more than once: a page handed over, its transaction failed, and the same
    /// page (the same id) handed over again when its write was done again alone. It stays in
    /// flight, kept from a claim from the outbox, until every copy has finished.
    private var extraCopies: [Int64: Int] = [:]
    /// Messages to each person on each channel: a storm of crises never floods one phone.
    private var perRecipient: RecipientRateLimit
    private let metrics: DaemonMetrics
    /// Pages an intake's or a pass's transaction claimed, waiting for a free place: they go ahead
    /// of the outbox.
    private var express: [HandedOverPages.Page] = []
    /// Claimed pages handed over from the store's transactions, not yet in `express`.
    private let handedOver = HandedOverPages()
    /// Requests out that their hand-over started, and whether a place is free for another.
    private let startedAtHandOver = HandOverStarts(limit: parallelStartsAtHandOver, places: parallelSends)
    /// Requests out now: at most `parallelSends`. Pages whose outcome is being recorded are still
    /// in `inFlight`, but hold no place.
    private var sending = 0 {
        didSet { startedAtHandOver.sending(sending) }
    }
    /// Derives the token of each claimed page's link (`ImmediateClaim.linkKey`); nil for random ones.
    private let ackLinkKey: [UInt8]?
    /// What an intake or a pass may claim under the config in force.
    private let claimable = Mutex<ImmediateClaim?>(nil)

    public init(
        store: any CrisisStore, channels: PageChannels, retry: RetryPolicy, publicURL: String,
        ackLinkValidFor: TimeInterval, ackLinkKey: [UInt8]? = nil,
        perRecipient: RecipientRateLimit.Policy = .unlimited, clock: any WallClock, logger: Logger,
        metrics: DaemonMetrics = DaemonMetrics()
    ) {
        self.ackLinkKey = ackLinkKey
        self.metrics = metrics
        self.perRecipient = RecipientRateLimit(policy: perRecipient)
        self.store = store
        self.notifiers = channels.notifiers
        self.contacts = channels.contacts
        self.names = channels.names
        self.retry = retry
        self.publicURL = publicURL
        self.ackLinkValidFor = ackLinkValidFor
        self.clock = clock
        self.wakeSignal = WakeSignal(clock: clock, onAlarm: { [outboxAsked] in outboxAsked.raise() })
        self.logger = logger
        claimable.withLock {
            $0 = immediateClaim(channels, retry: retry, ackLinkValidFor: ackLinkValidFor, publicURL: publicURL)
        }
    }

    /// Pages on channels never held back (webhooks, the console) may be claimed as they are
    /// queued: no per-recipient limit can stop them going out at once.
    private nonisolated func immediateClaim(
        _ channels: PageChannels, retry: RetryPolicy, ackLinkValidFor: TimeInterval, publicURL: String
    ) -> ImmediateClaim {
        ImmediateClaim(
            channels: Set(channels.notifiers.filter { $0.value.storm == .unlimited }.keys), retry: retry,
            ackLinksValidFor: ackLinkValidFor, linkKey: ackLinkKey
        ) { [handedOver, wakeSignal, startedAtHandOver] pages in
            // In the store's transaction (on its writer's thread, or a lone intake's own), before
            // its sync to disk. When the writer was idle before this write (a lone crisis at
            // night), a webhook's request starts here and, on a kept connection, leaves from this
            // thread: no hop to the sender's loop or a transfer thread stands between the crisis
            // and its page, and the loop records its outcome. A busy writer (a burst) leaves them
            // to the loop, as the other channels': threads woken from here took the writer's core
            // from it, up to 12 % fewer intakes a second.
            handedOver.put(
                pages.map { page in
                    guard page.claimedIn?.writerWasIdle == true,
                        let notifier = channels.notifiers[page.channel] as? any StartableNotifier,
                        startedAtHandOver.take()
                    else { return HandedOverPages.Page(page: page, started: nil) }
                    let acknowledgedBy = page.crisis.acknowledgedBy.map { channels.names[$0] ?? $0 }
                    let started = StartedDelivery(
                        PageDelivery.message(page, publicURL: publicURL, acknowledgedBy: acknowledgedBy),
                        via: notifier, then: { startedAtHandOver.finished() })
                    return HandedOverPages.Page(page: page, started: started)
                })
            wakeSignal.wake()
        }
    }

    public nonisolated var immediateClaim: ImmediateClaim? { claimable.withLock { $0 } }

    /// Takes the pages handed over since last time into `express`, ahead of the outbox.
    private func admitHandedOver() {
        let pages = handedOver.takeAll()
        for entry in pages { markInFlight(entry.page.id, retry: false) }
        express.append(contentsOf: pages)
    }

    public func withdraw(_ reference: CrisisReference, kinds: Set<PageMessage.Kind>) {
        admitHandedOver()
        // A page whose request its hand-over started is out already: only its outcome is left.
        func waiting(_ entry: HandedOverPages.Page) -> Bool {
            entry.started == nil && entry.page.crisis.reference == reference && kinds.contains(entry.page.kind)
        }
        let withdrawn = express.filter(waiting)
        guard !withdrawn.isEmpty else { return }
        express.removeAll(where: waiting)
        for entry in withdrawn { unmarkInFlight(entry.page.id) }
        logger.info(
            "acknowledged while waiting for a place: not sent",
            metadata: ["crisis_ref": "\(reference)", "pages": "\(withdrawn.count)"])
    }

    /// Takes the channels and retry settings of a reloaded config before it is in force; pages in
    /// flight finish as they were.
    public func prepare(for config: Config) {
        let channels = PageChannels(config, logger: logger)
        notifiers = channels.notifiers
        contacts = channels.contacts
        names = channels.names
        retry = config.delivery.retry
        perRecipient.policy = config.delivery.perRecipient
        publicURL = config.http.publicURL
        ackLinkValidFor = config.http.ackLinkValidFor
        claimable.withLock {
            $0 = immediateClaim(
                channels, retry: config.delivery.retry, ackLinkValidFor: config.http.ackLinkValidFor,
                publicURL: config.http.publicURL)
        }
        wake()
    }

    /// Asks the sender to look at the outbox now. Safe from any thread; wakes coalesce.
    public nonisolated func wake() {
        outboxAsked.raise()
        wakeSignal.wake()
    }

    public func run() async throws {
        // Each delivery is a child task of this one: a stop leaves none behind. The group ends
        // once the requests already out have finished (each within [delivery] timeout) and their
        // outcomes are recorded, so a restart neither repeats a page nor spends an attempt.
        await withDiscardingTaskGroup { group in
            wake()
            for await _ in wakeSignal.stream.cancelOnGracefulShutdown() {
                // Pages an intake or a pass claimed are on their way before the outbox is even
                // read: that read must not stand between a crisis and its page.
                for delivery in takeClaimed() { start(delivery, in: &group) }
                if outboxAsked.take() {
                    for delivery in await drain() { start(delivery, in: &group) }
                }
            }
            wakeSignal.wake(at: nil)
            startedAtHandOver.close()
            admitHandedOver()
            // Requests already out are awaited, their outcomes recorded, as the others in flight.
            for delivery in takeStarted() { start(delivery, in: &group) }
            if !express.isEmpty {
                logger.notice(
                    "pages claimed at intake not sent before the stop: they go at their retry instant after a restart",
                    metadata: ["pages": "\(express.count)"])
            }
            if !inFlight.isEmpty {
                logger.notice("waiting for pages in flight before stopping", metadata: ["pages": "\(inFlight.count)"])
            }
        }
    }

    /// Sends one page as a child task of the group, then records its outcome.
    private func start(_ delivery: PageDelivery, in group: inout DiscardingTaskGroup) {
        // An attempt counts from its claim: its request goes ahead of other work waiting for a
        // thread, so a crash finds as few claimed but unsent attempts as can be.
        // Should the group be cancelled, the attempt still ends with its outcome on disk: the
        // request runs on a thread of its own and the store's writes do not stop for cancellation.
        let ids = [delivery.page.id] + delivery.also.map(\.id)
        let channel = delivery.page.channel
        group.addTask(priority: .high) {
            let outcome = await delivery.send()
            // The place is free once the request is back: the next page need not wait for this
            // one's outcome to be on disk (it is kept from a second claim meanwhile, as in flight).
            await self.sent()
            await delivery.record(outcome)
            await self.finished(ids, channel: channel, outcome: outcome)
        }
    }

    private func markInFlight(_ id: Int64, retry: Bool) {
        if inFlight[id] == nil {
            inFlight[id] = retry
        } else {
            extraCopies[id, default: 0] += 1
        }
    }

    private func unmarkInFlight(_ id: Int64) {
        switch extraCopies[id] {
        case nil: inFlight[id] = nil
        case 1: extraCopies[id] = nil
        case let copies?: extraCopies[id] = copies - 1
        }
    }

    private var retriesInFlight: Int { inFlight.values.filter { $0 }.count }

    /// The deliveries of pages an intake or a pass claimed, as many as there are free places:
    /// their attempts are in a transaction committed or committing.
    /// Those whose hand-over started their request take a place whatever is free.
    private func takeClaimed() -> [PageDelivery] {
        admitHandedOver()
        let started = takeStarted()
        let now = clock.now
        let startNow = max(0, min(express.count, Self.parallelSends - sending))
        let deliveries = express.prefix(startNow).map { entry in
            let page = entry.page
            let route = route(page)
            if let route, route.notifier.storm != .unlimited {
                // A reload made the channel one that is held back: count the message all the same.
                _ = perRecipient.take(PageRecipient(person: page.person, channel: route.channel), at: now)
            }
            return delivery(page, via: route)
        }
        express.removeFirst(startNow)
        sending += deliveries.count
        return started + deliveries
    }

    /// The deliveries of the pages in `express` whose request their hand-over started: each
    /// takes a place until its request is back, as any other.
    private func takeStarted() -> [PageDelivery] {
        let deliveries = express.compactMap { entry -> PageDelivery? in
            guard let started = entry.started else { return nil }
            // Recorded under the channel it went out on, whatever a reload did since.
            var delivery = delivery(entry.page, via: notifiers[entry.page.channel].map { (entry.page.channel, $0) })
            delivery.started = started
            return delivery
        }
        express.removeAll { $0.started != nil }
        sending += deliveries.count
        return deliveries
    }

    /// Claims what is due, as many as there are free places, and returns their deliveries to
    /// start at once.
    private func drain() async -> [PageDelivery] {
        let now = clock.now
        var claimed: [PageDelivery] = []
        // Until this read says otherwise, a freed place must read the outbox again.
        outboxWaitsForAPlace = true
        do {
            // Pages waiting in `express` have their places first.
            let free = Self.parallelSends - sending - express.count
            var claimedAll = true
            let held = perRecipient.held(at: now)
            // A read first: a claim is a write transaction, which a wake with nothing due (most
            // of them, now that the intake claims its own pages) would queue behind the intakes.
            var due: Date?
            if free > 0 {
                due = try await store.nextPageDue(
                    excluding: Set(inFlight.keys), holding: Set(held.keys),
                    retries: retriesInFlight < Self.parallelRetries)
            }
            let claiming = free > 0 && due.map { $0 <= now } == true
            if claiming {
                let claim = try await store.claimDuePages(
                    at: now, retry: retry, excluding: Set(inFlight.keys), holding: Set(held.keys), limit: free,
                    retryLimit: max(0, Self.parallelRetries - retriesInFlight), ackLinksValidFor: ackLinkValidFor)
                claimedAll = claim.pages.count < free
                for abandoned in claim.givenUp {
                    logger.error(
                        "page failed for good",
                        metadata: PageDelivery.metadata(abandoned.page).merging(["reason": "\(abandoned.reason)"]) {
                            a, _ in a
                        }.event(.pageDeliveryFailing))
                }
                for unreadable in claim.setAside {
                    logger.critical(
                        "a page's crisis cannot be read: the page waits and is tried again in a minute",
                        metadata: ["page": "\(unreadable.pageID)", "error": "\(unreadable.reason)"])
                }
                // Pages to one person on one channel go as one message, counted once by the limit.
                var combined: [PageRecipient: Int] = [:]
                for page in claim.pages {
                    markInFlight(page.id, retry: page.isRetry)
                    let route = route(page)
                    let delivery = delivery(page, via: route)
                    let recipient = PageRecipient(person: page.person, channel: delivery.page.channel)
                    // Notices to a requester go to each crisis's own call-back number: never held.
                    let storm = page.kind.isForRequester ? .unlimited : route?.notifier.storm ?? .unlimited
                    if storm == .combined, let index = combined[recipient] {
                        claimed[index].also.append(delivery.page)
                        continue
                    }
                    if storm != .unlimited { _ = perRecipient.take(recipient, at: now) }
                    if storm == .combined { combined[recipient] = claimed.count }
                    claimed.append(delivery)
                }
                for delivery in claimed where !delivery.also.isEmpty {
                    logger.notice(
                        "pages combined into one message: a rate limit held them for this person and channel",
                        metadata: PageDelivery.metadata(delivery.page).merging([
                            "pages": "\(delivery.also.count + 1)",
                            "also": "\(delivery.also.map(\.crisis.reference.description).joined(separator: ","))",
                        ]) { a, _ in a })
                }
            }
            // With every place taken, the next attempt to finish wakes the sender; otherwise it
            // sleeps until the next page it may take is due.
            // A held recipient's pages are due again when it may be sent to.
            var next: Date?
            if sending + express.count < Self.parallelSends {
                let holding = perRecipient.held(at: now)
                if free > 0 && !claiming {
                    next = due  // no claim: the outbox is as it was just read
                } else {
                    next = try await store.nextPageDue(
                        excluding: Set(inFlight.keys), holding: Set(holding.keys),
                        retries: retriesInFlight < Self.parallelRetries)
                }
                if let free = holding.values.min() { next = min(next ?? free, free) }
            }
            wakeSignal.wake(at: next)
            // Pages may be due that found no place, or no place among the retries'.
            outboxWaitsForAPlace =
                free <= 0 || !claimedAll || sending + claimed.count + express.count >= Self.parallelSends
                || retriesInFlight >= Self.parallelRetries
        } catch {
            logger.error(
                "cannot read the page outbox", metadata: .event(.storeWriteFailing, ["error": "\(error)"]))
            // Try again shortly rather than leave queued pages unsent.
            wakeSignal.wake(at: now + 1)
        }
        sending += claimed.count
        return claimed
    }

    /// The attempt's delivery through `route`, the page's channel or the person's contact that
    /// stands in for it; the outcome is journaled under the channel the request went out on.
    private func delivery(_ page: OutboundPage, via route: (channel: String, notifier: any Notifier)?) -> PageDelivery {
        if let route, route.channel != page.channel {
            logger.warning(
                "page channel removed by a reload: paging through the person's contact instead",
                metadata: PageDelivery.metadata(page).merging(["via": "\(route.channel)"]) { a, _ in a })
        }
        var routed = page
        if let route { routed.channel = route.channel }
        let acknowledgedBy = page.crisis.acknowledgedBy.map { names[$0] ?? $0 }
        return PageDelivery(
            page: routed, notifier: route?.notifier, acknowledgedBy: acknowledgedBy, retry: retry,
            publicURL: publicURL, store: store, clock: clock, logger: logger)
    }

    /// A request is back: its place is free for a page waiting in memory, or in the outbox when
    /// the last read of it found none.
    private func sent() {
        sending -= 1
        if outboxWaitsForAPlace {
            wake()
        } else if !express.isEmpty {
            wakeSignal.wake()
        }
    }

    private func finished(_ ids: [Int64], channel: String, outcome: DeliveryOutcome) {
        for id in ids { unmarkInFlight(id) }
        metrics.delivered(ids.count, channel: channel, outcome: outcome)
        noteHealth(of: channel, after: outcome)
        // A failed attempt's retry has its instant to wake for; a retry's end frees a retry's
        // place. A delivered page changes nothing else in the outbox.
        if case .failed = outcome {
            wake()
        } else if outboxWaitsForAPlace {
            wake()
        }
    }

    /// Failed attempts in a row on each channel: a channel that keeps failing is an outage an
    /// operator must hear of at once (critical), while escalation goes on through the others.
    private var failuresInARow: [String: Int] = [:]
    static let failingChannelAlarm = 3

    private func noteHealth(of channel: String, after outcome: DeliveryOutcome) {
        switch outcome {
        case .delivered:
            if let failures = failuresInARow.removeValue(forKey: channel), failures >= Self.failingChannelAlarm {
                logger.notice(
                    "page channel delivers again", metadata: ["channel": "\(channel)", "failed_before": "\(failures)"])
            }
        case .failed(_, let reason, _):
            let failures = failuresInARow[channel, default: 0] + 1
            failuresInARow[channel] = failures
            // Once when it starts, then every tenth failure, so that the log is not flooded.
            if failures == Self.failingChannelAlarm || (failures > Self.failingChannelAlarm && failures % 10 == 0) {
                logger.critical(
                    "page channel failing: pages on it are not arriving; escalation goes on through the others",
                    metadata: .event(
                        .pageDeliveryFailing,
                        [
                            "channel": "\(channel)", "failures_in_a_row": "\(failures)", "last_reason": "\(reason)",
                        ]))
            }
        }
    }

    /// The page's own channel, or, when a reload removed it, the first of the person's contacts
    /// in the config in force that has a channel: a page is never dropped for a renamed channel.
    private func route(_ page: OutboundPage) -> (channel: String, notifier: any Notifier)? {
        if let notifier = notifiers[page.channel] { return (page.channel, notifier) }
        for channel in contacts[page.person] ?? [] {
            if let notifier = notifiers[channel] { return (channel, notifier) }
        }
        return nil
    }
}
