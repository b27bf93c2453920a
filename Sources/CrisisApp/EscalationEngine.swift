import CrisisConfig
import CrisisCore
import CrisisStorage
import Foundation
import Logging
import ServiceLifecycle

/// Runs the escalation policy and the response clocks.
///
/// It sleeps on a wall-clock alarm set to the earliest stored deadline and is woken early by
/// any event (intake, acknowledgement, milestone). Each due crisis is read and updated in one
/// write transaction; the decisions themselves are the pure `Escalator`'s.
public actor EscalationEngine: Service, ReloadSubscriber {
    private let store: any CrisisStore
    private let config: ConfigHolder
    private let clock: any WallClock
    private let logger: Logger
    private let pagesQueued: @Sendable () -> Void
    private let wakeups: Wakeups

    public init(
        store: any CrisisStore, config: ConfigHolder, clock: any WallClock, logger: Logger,
        pagesQueued: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.config = config
        self.clock = clock
        self.wakeups = Wakeups(clock: clock)
        self.logger = logger
        self.pagesQueued = pagesQueued
    }

    /// A reloaded policy or rota may change what is due: look again.
    public func applied(_ config: Config) { wake() }

    /// Asks the engine to look at the deadlines now. Safe from any thread; wakes coalesce.
    public nonisolated func wake() {
        wakeups.wake()
    }

    public func run() async throws {
        // At start every deadline already past fires at once, in deadline order.
        wake()
        for await _ in wakeups.stream.cancelOnGracefulShutdown() {
            await tick()
        }
        wakeups.wake(at: nil)
    }

    static let batchSize = 200

    private func tick() async {
        let now = clock.now
        let (config, rota) = self.config.snapshot
        var queued = false
        do {
            // In batches, earliest deadline first, each batch one transaction: after a long outage
            // thousands may be due at once.
            while true {
                let batch = try await store.decideDue(at: now, limit: Self.batchSize) { snapshot, _ in
                    Self.plan(snapshot, config: config, rota: rota, now: now)
                }
                for unreadable in batch.unreadable {
                    // One crisis the store cannot read must not hold up every other crisis's escalation.
                    logger.error(
                        "a crisis cannot be read: its escalation and clocks wait until the row is fixed",
                        metadata: ["crisis_ref": "\(unreadable.reference)", "error": "\(unreadable.reason)"])
                }
                for update in batch.updates {
                    queued = queued || !update.pages.isEmpty
                    log(update)
                }
                if queued { pagesQueued() }
                // A full batch may have more behind it; one that decided nothing would repeat itself.
                guard batch.examined == Self.batchSize, !batch.updates.isEmpty else { break }
            }
            let next = try await store.nextDeadline()
            if let next, next <= now {
                // Something due was not decided: try again shortly rather than spin.
                logger.error(
                    "a deadline is still due after the engine ran", metadata: ["due_at": "\(next.formatted(.iso8601))"])
                wakeups.wake(at: now + 1)
            } else {
                wakeups.wake(at: next)
            }
        } catch {
            logger.error("the escalation engine cannot read or write the store", metadata: ["error": "\(error)"])
            if queued { pagesQueued() }
            wakeups.wake(at: now + 1)
        }
    }

    /// What is due for one crisis at `now`, as outbox rows and journal entries. Pure.
    static func plan(_ crisis: CrisisSnapshot, config: Config, rota: Rota, now: Date) -> CrisisUpdate? {
        let evaluation = Escalator.evaluate(crisis, policy: config.escalation, now: now)
        guard evaluation.snapshot != crisis else { return nil }
        let reference = crisis.reference
        var pages: [CrisisDraft.Page] = []
        var journal: [JournalEntry] = []

        /// Who hears about a clock: the psychologist who acknowledged (else those paged), and the breach targets.
        func clockRecipients() -> [String] {
            var people = crisis.acknowledgedBy.flatMap { rota.people[$0] == nil ? nil : [$0] } ?? crisis.assigned
            for recipient in Routing.route(config.escalation.breachTargets, rota: rota, at: now).recipients
            where !people.contains(recipient.person) {
                people.append(recipient.person)
            }
            return people
        }

        for action in evaluation.actions {
            switch action {
            case .page(let number, let targets, let dueAt):
                let routing = Routing.route(targets, rota: rota, at: now)
                let people = routing.recipients.map(\.person)
                pages += PagePlanner.pages(for: people, rota: rota, step: number, kind: .crisis)
                if routing.noOneOnDuty {
                    journal.append(
                        JournalEntry(
                            at: now, reference: reference, kind: .crisisUnstaffed, actor: "crisisd",
                            data: ["step": "\(number)", "rotations": routing.unstaffedRotations.joined(separator: ",")])
                    )
                }
                journal.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .escalationStep, actor: "crisisd",
                        data: [
                            "step": "\(number)", "targets": targets.map(\.description).joined(separator: ","),
                            "people": people.joined(separator: ","), "due_at": dueAt.formatted(.iso8601),
                        ]))
            case .exhausted(let targets, let dueAt):
                let people = Routing.route(targets, rota: rota, at: now).recipients.map(\.person)
                pages += PagePlanner.pages(for: people, rota: rota, step: 0, kind: .exhausted)
                journal.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .escalationExhausted, actor: "crisisd",
                        data: ["people": people.joined(separator: ","), "due_at": dueAt.formatted(.iso8601)]))
            case .warn(let kind, let dueAt, let warnAt):
                let people = clockRecipients()
                pages += PagePlanner.pages(for: people, rota: rota, step: 0, kind: .warning, clock: kind)
                journal.append(
                    JournalEntry(
                        at: now, reference: reference, kind: .clockWarned, actor: "crisisd",
                        data: [
                            "clock": kind.rawValue, "due_at": dueAt.formatted(.iso8601),
                            "warn_at": warnAt.formatted(.iso8601),
                            "people": people.joined(separator: ","),
                        ]))
            case .breach(let kind, let dueAt):
                var data = [
                    "clock": kind.rawValue, "outcome": ClockOutcome.breached.rawValue,
                    "due_at": dueAt.formatted(.iso8601), "ended_at": dueAt.formatted(.iso8601),
                ]
                // The ack clock's breach is the escalation's business; the contract clocks page.
                if kind != .ack {
                    let people = clockRecipients()
                    pages += PagePlanner.pages(for: people, rota: rota, step: 0, kind: .breach, clock: kind)
                    data["people"] = people.joined(separator: ",")
                }
                journal.append(
                    JournalEntry(at: now, reference: reference, kind: .clockEnded, actor: "crisisd", data: data))
            }
        }
        return CrisisUpdate(snapshot: evaluation.snapshot, pages: pages, journal: journal)
    }

    private func log(_ update: CrisisUpdate) {
        for entry in update.journal {
            var metadata: Logger.Metadata = ["crisis_ref": "\(update.snapshot.reference)"]
            for (key, value) in entry.data { metadata[key] = "\(value)" }
            switch entry.kind {
            case .escalationExhausted:
                logger.critical(
                    "nobody acknowledged after every escalation step: paging the exhausted targets", metadata: metadata)
            case .crisisUnstaffed:
                logger.critical("an escalation step found no one on duty: paging every member", metadata: metadata)
            case .clockEnded:
                logger.error("a response clock was breached", metadata: metadata)
            case .clockWarned:
                logger.warning("a response clock is about to run out", metadata: metadata)
            case .escalationStep:
                logger.warning("not acknowledged: escalating", metadata: metadata)
            default:
                logger.info("\(entry.kind.rawValue)", metadata: metadata)
            }
        }
    }
}
