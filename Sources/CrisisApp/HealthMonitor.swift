import CSystemd
import CrisisCore
import CrisisStorage
import CrisisSystemd
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Watches crisisd's own health every second: wakes the escalation engine (whose loop must then
/// make progress), pings the store, and reads the last commit and reload. From those facts the
/// pure `HealthVerdict` decides; this carries it out: `WATCHDOG=1` only while the verdict keeps the
/// watchdog, a `watchdogDegraded` warning when the pings stop and a notice when they resume, and
/// systemd's `STATUS=` line whenever it changes and at least once a minute.
public final class HealthMonitor: Service, Sendable {
    /// How long the engine's loop may make no progress. It is woken every second, and a pass
    /// takes milliseconds; a long one still marks progress after each batch.
    public static let stallAfter: TimeInterval = 10
    static let pingTimeout: Duration = .seconds(3)
    static let statusEvery: Duration = .seconds(60)

    private let store: any CrisisStore
    private let progress: EngineProgress
    private let commits: CommitWatch
    private let wakeEngine: @Sendable () -> Void
    private let lastReload: @Sendable () -> DaemonStatus.Reload?
    private let statusFacts: @Sendable () async throws -> (open: StatusLine.Summary, onDuty: [String])
    private let clock: any WallClock
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var latest: HealthVerdict?
        var withholding = false
        var statusDirty = true
        /// The engine's change count and the last reload's time when `STATUS=` was last built.
        var shownChanges: (engine: Int, reloadAt: Date?) = (0, nil)
        var statusSentAt: ContinuousClock.Instant?
        var statusText: String?
    }

    /// - Parameters:
    ///   - statusFacts: the summary of the crises not resolved and the names of those on duty now, for `STATUS=`.
    public init(
        store: any CrisisStore, progress: EngineProgress, commits: CommitWatch,
        wakeEngine: @escaping @Sendable () -> Void, lastReload: @escaping @Sendable () -> DaemonStatus.Reload?,
        statusFacts: @escaping @Sendable () async throws -> (open: StatusLine.Summary, onDuty: [String]),
        clock: any WallClock, logger: Logger
    ) {
        self.store = store
        self.progress = progress
        self.commits = commits
        self.wakeEngine = wakeEngine
        self.lastReload = lastReload
        self.statusFacts = statusFacts
        self.clock = clock
        self.logger = logger
    }

    /// The verdict of the last round; nil while crisisd is still starting.
    public var latest: HealthVerdict? { state.withLock { $0.latest } }

    /// Something changed that `STATUS=` shows (a crisis, a deadline, a rota change).
    public func changed() {
        state.withLock { $0.statusDirty = true }
    }

    /// The verdict now: pings the store (at most `pingTimeout`) and reads the other facts.
    public func assess() async -> HealthVerdict {
        let now = clock.now
        let failure = commits.failure
        let reload = lastReload()
        let facts = HealthVerdict.Facts(
            engineSilentFor: progress.silentFor, storeUnanswered: await pingFailure(),
            commitFailedAt: failure?.at, commitFailure: failure?.reason,
            reloadFailedAt: reload.flatMap { $0.succeeded ? nil : $0.at })
        return HealthVerdict(facts, now: now, stallAfter: Self.stallAfter)
    }

    /// The line systemd shows, with the verdict's problems first.
    public func statusLine(_ verdict: HealthVerdict?) async -> String {
        let problem = verdict.flatMap { $0.isHealthy ? nil : $0.summary }
        do {
            let facts = try await statusFacts()
            return StatusLine.text(facts.open, onDuty: facts.onDuty, problem: problem, now: clock.now)
        } catch {
            return "degraded: the open crises cannot be read (\(error))"
        }
    }

    public func run() async throws {
        // sd_watchdog_enabled: WATCHDOG_USEC is set (for this process) when the unit has WatchdogSec=.
        var usec: UInt64 = 0
        let watchdog = sd_watchdog_enabled(0, &usec) > 0
        // Pings at half the watchdog's period, as sd_watchdog_enabled(3) advises, and at least every second.
        let period = watchdog ? min(Duration.seconds(1), .microseconds(Int64(usec / 2))) : .seconds(1)
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.round(watchdog: watchdog)
                try await Task.sleep(for: period)
            }
        }
    }

    private func round(watchdog: Bool) async {
        wakeEngine()
        // Until the first pass has ended crisisd is starting, not degraded: READY=1 comes after it.
        guard progress.silentFor != nil else { return }
        let verdict = await assess()
        let changes = (engine: progress.changes, reloadAt: lastReload()?.at)
        let (stopped, resumed, statusDue) = state.withLock { state in
            state.latest = verdict
            // An escalation step or a reload changes the next deadline and who is on duty.
            if changes != state.shownChanges {
                state.shownChanges = changes
                state.statusDirty = true
            }
            let stopped = !verdict.keepsWatchdog && !state.withholding
            let resumed = verdict.keepsWatchdog && state.withholding
            state.withholding = !verdict.keepsWatchdog
            let stale = state.statusSentAt.map { ContinuousClock.now - $0 >= Self.statusEvery } ?? true
            let due = state.statusDirty || stale || stopped || resumed
            state.statusDirty = false
            return (stopped, resumed, due)
        }
        if verdict.keepsWatchdog && watchdog { SystemdNotifier.send("WATCHDOG=1") }
        if stopped {
            logger.warning(
                "crisisd is not healthy: watchdog pings withheld",
                metadata: .event(.watchdogDegraded, ["reason": "\(verdict.summary)"]))
        }
        if resumed {
            logger.notice("crisisd is healthy again: watchdog pings resumed")
        }
        if statusDue { await sendStatus(verdict) }
    }

    private func sendStatus(_ verdict: HealthVerdict) async {
        let text = await statusLine(verdict)
        let send = state.withLock { state in
            let stale = state.statusSentAt.map { ContinuousClock.now - $0 >= Self.statusEvery } ?? true
            guard stale || text != state.statusText else { return false }
            state.statusText = text
            state.statusSentAt = .now
            return true
        }
        if send { SystemdNotifier.status(text) }
    }

    /// Nil when the store answered within `pingTimeout`; else why not.
    private func pingFailure() async -> String? {
        let answer = PingAnswer()
        let store = store
        return await withCheckedContinuation { continuation in
            answer.waiting.withLock { $0 = continuation }
            let timer = Task {
                try await Task.sleep(for: Self.pingTimeout)
                answer.waiting.withLock { $0.take()?.resume(returning: "no answer within \(Self.pingTimeout)") }
            }
            // Not a task group: a ping stuck in the database must not hold this round up.
            Task {
                let outcome: String?
                do {
                    try await store.ping()
                    outcome = nil
                } catch {
                    outcome = "\(error)"
                }
                timer.cancel()
                answer.waiting.withLock { $0.take()?.resume(returning: outcome) }
            }
        }
    }
}

/// The one answer of a ping: the first of the store's reply and the timeout.
private final class PingAnswer: Sendable {
    let waiting = Mutex<CheckedContinuation<String?, Never>?>(nil)
}
