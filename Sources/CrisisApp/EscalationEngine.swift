import CrisisConfig
import CrisisCore
import CrisisStorage
import CrisisSystemd
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

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
    private let wakeSignal: WakeSignal
    /// Whether a pass over the store is asked for: by an event that may change what is due (an
    /// intake, an acknowledgement, a reload) or by the alarm of the earliest deadline. A wake that
    /// only proves the loop alive (`checkAlive()`) leaves the store alone.
    private let passAsked = PassRequest()
    private let metrics: DaemonMetrics
    private let progress: EngineProgress
    private let stallFile: String?
    private let claimedPages: (any ClaimedPageSink)?

    /// - Parameters:
    ///   - progress: told of each pass and batch, for the watchdog.
    ///   - stallFile: a fault switch for tests, honoured in debug builds only: while this file
    ///     exists, the loop stops making progress, as a hung engine would.
    ///   - claimedPages: takes the pages a pass claimed in its own transaction, to send at once;
    ///     without it, every page waits in the outbox.
    public init(
        store: any CrisisStore, config: ConfigHolder, clock: any WallClock, logger: Logger,
        metrics: DaemonMetrics = DaemonMetrics(), progress: EngineProgress = EngineProgress(),
        stallFile: String? = nil, claimedPages: (any ClaimedPageSink)? = nil,
        pagesQueued: @escaping @Sendable () -> Void
    ) {
        self.claimedPages = claimedPages
        self.metrics = metrics
        self.progress = progress
        #if DEBUG
            self.stallFile = stallFile
        #else
            self.stallFile = nil
        #endif
        self.store = store
        self.config = config
        self.clock = clock
        self.wakeSignal = WakeSignal(clock: clock, onAlarm: { [passAsked] in passAsked.raise() })
        self.logger = logger
        self.pagesQueued = pagesQueued
    }

    /// A reloaded policy or rota may change what is due: look again.
    public func applied(_ config: Config) { wake() }

    /// Asks the engine to look at the deadlines now. Safe from any thread; wakes coalesce.
    public nonisolated func wake() {
        passAsked.raise()
        wakeSignal.wake()
    }

    /// Asks for a pass when `change` may have made something due before the alarm set: a new
    /// crisis whose first deadline is after it needs none (most intakes).
    public nonisolated func wake(for change: CommittedChange.Deadlines) {
        switch change {
        case .mayHaveMoved: wake()
        case .added(nil): return
        case .added(let instant?): if !wakeSignal.alarmCovers(instant) { wake() }
        }
    }

    /// Has the loop turn once, with no pass over the store unless one is asked for: proof for
    /// the watchdog that the loop runs, at no cost to a quiet daemon.
    public nonisolated func checkAlive() {
        wakeSignal.wake()
    }

    public func run() async throws {
        // At start every deadline already past fires at once, in deadline order.
        wake()
        for await _ in wakeSignal.stream.cancelOnGracefulShutdown() {
            progress.mark()
            await stallWhileAsked()
            if passAsked.take() { await tick() }
            progress.passEnded()
        }
        wakeSignal.wake(at: nil)
    }

    static let batchSize = 200

    private func tick() async {
        // Every deadline committed before this line is in the read below.
        wakeSignal.forgetCovered()
        var now = clock.now
        var queued = false
        do {
            // A read first: most passes (after an intake, an acknowledgement) find nothing due,
            // and deciding is a write transaction that would queue behind the intakes.
            let earliest = try await store.nextDeadline()
            guard let earliest, earliest <= now else {
                wakeSignal.wake(at: earliest)
                return
            }
            // In batches, earliest deadline first, each batch one transaction: after a long outage
            // thousands may be due at once.
            while true {
                let batch = try await decideBatch(at: now)
                // Pages the batch claimed went to the sender before its commit's sync to disk;
                // only the others wait in the outbox.
                queued = queued || batch.updates.reduce(0) { $0 + $1.pages.count } > batch.claimed.count
                if queued { pagesQueued() }
                if !batch.updates.isEmpty { progress.changedCrises() }
                progress.mark()
                // A full batch may have more behind it; one that decided nothing would repeat itself.
                if batch.examined == Self.batchSize, !batch.updates.isEmpty { continue }
                guard let next = batch.nextDeadline else {
                    wakeSignal.wake(at: nil)
                    return
                }
                if next <= now {
                    // Something due was not decided: try again shortly rather than spin.
                    logger.error(
                        "a deadline is still due after the engine ran",
                        metadata: ["due_at": "\(next.formatted(.iso8601))"])
                    wakeSignal.wake(at: now + 1)
                    return
                }
                // What fell due while this batch was decided goes next, not after a trip through
                // the alarm: when deadlines fall due every millisecond, that trip is the delay.
                let current = clock.now
                guard next <= current else {
                    wakeSignal.wake(at: next)
                    return
                }
                now = current
            }
        } catch {
            logger.error(
                "the escalation engine cannot read or write the store",
                metadata: .event(.storeWriteFailing, ["error": "\(error)"]))
            if queued { pagesQueued() }
            wakeSignal.wake(at: now + 1)
        }
    }

    /// Decides one batch of what is due at `now` in one transaction, and logs what it decided.
    private func decideBatch(at now: Date) async throws -> DueDecisions {
        let (config, rota, routes) = self.config.routing
        let batch = try await store.decideDue(
            at: now, limit: Self.batchSize, claiming: claimedPages?.immediateClaim
        ) { snapshot, _ in
            EscalationEffects.update(
                snapshot, policy: config.escalation, clocks: config.clocks, rota: rota, now: now,
                route: { routes.route($0, at: now) })
        }
        for undecided in batch.undecided {
            // One crisis that cannot be decided must not hold up every other crisis's escalation.
            logger.error(
                "a crisis cannot be read: its escalation and clocks wait until the row is fixed",
                metadata: ["crisis_ref": "\(undecided.reference)", "error": "\(undecided.reason)"])
        }
        for update in batch.updates { log(update) }
        return batch
    }

    /// The fault switch (`stallFile`): hangs the loop while the file exists.
    private func stallWhileAsked() async {
        guard let stallFile, FileManager.default.fileExists(atPath: stallFile) else { return }
        logger.warning("debug fault switch: the escalation engine stalls", metadata: ["file": "\(stallFile)"])
        while FileManager.default.fileExists(atPath: stallFile), !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func log(_ update: CrisisUpdate) {
        for entry in update.journal {
            var metadata: Logger.Metadata = ["crisis_ref": "\(update.snapshot.reference)"]
            for (key, value) in entry.data { metadata[key] = "\(value)" }
            switch entry.kind {
            case .escalationExhausted:
                logger.critical(
                    "nobody acknowledged after every escalation step: paging the exhausted targets",
                    metadata: metadata.event(.escalationExhausted))
            case .crisisUnstaffed:
                logger.critical(
                    "an escalation step found no one on duty: paging every member",
                    metadata: metadata.event(.noOneOnDuty))
            case .clockEnded:
                metrics.clockEnded(entry)
                logger.error("a response clock was breached", metadata: metadata.event(.clockBreached))
            case .clockWarned:
                logger.warning("a response clock is about to run out", metadata: metadata.event(.clockWarning))
            case .escalationStep:
                metrics.escalated()
                logger.warning("not acknowledged: escalating", metadata: metadata.event(.escalated))
            default:
                logger.info("\(entry.kind.rawValue)", metadata: metadata)
            }
        }
    }
}
