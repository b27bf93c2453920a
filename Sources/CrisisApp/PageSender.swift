import CrisisCore
import CrisisNotify
import CrisisStore
import Foundation
import Logging
import ServiceLifecycle

/// Delivers the page outbox: at once when a page is queued, and at each retry's instant after
/// a failure. It never polls: it sleeps on a wall-clock alarm set to the earliest due page.
///
/// Pages are at-least-once: an attempt is journaled before the request goes out and its outcome
/// after, so a crash in between sends that page again on restart rather than never.
public actor PageSender: Service {
    private let store: SQLiteCrisisStore
    private var notifiers: [String: any Notifier]
    private var retry: RetryPolicy
    private var publicURL: String
    private let clock: any WallClock
    private let logger: Logger
    private let wakeups = Wakeups()
    private var inFlight: Set<Int64> = []

    public init(
        store: SQLiteCrisisStore, notifiers: [String: any Notifier], retry: RetryPolicy, publicURL: String,
        clock: any WallClock, logger: Logger
    ) {
        self.store = store
        self.notifiers = notifiers
        self.retry = retry
        self.publicURL = publicURL
        self.clock = clock
        self.logger = logger
    }

    /// Takes the channels and retry settings of a reloaded config; pages in flight finish as they were.
    public func replace(notifiers: [String: any Notifier], retry: RetryPolicy, publicURL: String) {
        self.notifiers = notifiers
        self.retry = retry
        self.publicURL = publicURL
        wake()
    }

    /// Asks the sender to look at the outbox now. Safe from any thread; wakes coalesce.
    public nonisolated func wake() {
        wakeups.wake()
    }

    public func run() async throws {
        wake()
        for await _ in wakeups.stream.cancelOnGracefulShutdown() {
            drain()
        }
        wakeups.wake(at: nil)
    }

    private func drain() {
        let now = clock.now
        do {
            for page in try store.duePages(at: now, excluding: inFlight) {
                inFlight.insert(page.id)
                Task { await self.attempt(page) }
            }
            wakeups.wake(at: try store.nextPageDue(excluding: inFlight))
        } catch {
            logger.error("cannot read the page outbox", metadata: ["error": "\(error)"])
            // Try again shortly rather than leave queued pages unsent.
            wakeups.wake(at: now + 1)
        }
    }

    private func attempt(_ page: OutboundPage) async {
        defer {
            inFlight.remove(page.id)
            wake()
        }
        let metadata: Logger.Metadata = [
            "crisis_ref": "\(page.crisis.reference)", "recipient": "\(page.person)", "channel": "\(page.channel)",
            "attempt": "\(page.attempt)",
        ]
        do {
            try store.beginAttempt(page, at: clock.now)
        } catch {
            logger.error("cannot journal a page attempt; will retry", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
            // Wait before the page is handed out again, so a failing disk is not hammered.
            try? await Task.sleep(for: .seconds(1))
            return
        }
        let message = PageMessage(
            kind: page.kind, clock: page.clock, reference: page.crisis.reference, category: page.crisis.category, site: page.crisis.site,
            callback: page.crisis.callback, drill: page.crisis.drill, receivedAt: page.crisis.receivedAt,
            clocks: page.crisis.clocks, recipient: page.person, step: page.step, attempt: page.attempt, publicURL: publicURL)
        let outcome: DeliveryOutcome
        if let notifier = notifiers[page.channel] {
            outcome = await notifier.deliver(message)
        } else {
            outcome = .failed(retryable: false, reason: "channel \"\(page.channel)\" is not in the config")
        }
        let now = clock.now
        let decision = retry.decide(attempt: page.attempt, outcome: outcome, now: now)
        do {
            try store.finishAttempt(page, outcome: outcome, decision: decision, at: now)
        } catch {
            // The page stays pending and is sent again: at-least-once, after a pause.
            logger.error("cannot record a page outcome", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
            try? await Task.sleep(for: .seconds(1))
        }
        switch (outcome, decision) {
        case (.delivered, _):
            logger.info("page delivered", metadata: metadata)
        case (.failed(_, let reason), .retry(let at)):
            logger.warning("page failed; will retry", metadata: metadata.merging(["reason": "\(reason)", "next_attempt_at": "\(at.formatted(.iso8601))"]) { a, _ in a })
        case (.failed(_, let reason), _):
            logger.error("page failed for good", metadata: metadata.merging(["reason": "\(reason)"]) { a, _ in a })
        }
    }
}
