import CrisisConfig
import CrisisCore
import CrisisStorage
import CrisisSystemd
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Re-reads the config on each reload request (SIGHUP, `systemctl reload crisisd`, which the
/// executable turns into `DaemonEvent.reload`), through the same loader as
/// `crisisctl check-config`. A valid file is applied at once and its changes journaled; an
/// invalid one leaves the old config in force and says why, in the log, the journal and
/// `crisisctl status`.
public final class ConfigReloader: Service, Sendable {
    private let path: String
    private let holder: ConfigHolder
    private let store: any CrisisStore
    /// Told of each config a reload applies, in this order.
    private let subscribers: [any ReloadSubscriber]
    private let clock: any WallClock
    private let logger: Logger
    private let last = Mutex<DaemonStatus.Reload?>(nil)
    private let requests: AsyncStream<Void>
    private let metrics: DaemonMetrics

    public init(
        path: String, holder: ConfigHolder, store: any CrisisStore, subscribers: [any ReloadSubscriber],
        clock: any WallClock, logger: Logger, metrics: DaemonMetrics = DaemonMetrics(), requests: AsyncStream<Void>
    ) {
        self.metrics = metrics
        self.requests = requests
        self.path = path
        self.holder = holder
        self.store = store
        self.subscribers = subscribers
        self.clock = clock
        self.logger = logger
    }

    public var lastReload: DaemonStatus.Reload? { last.withLock { $0 } }

    public func run() async throws {
        for await _ in requests.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    public func reload() async {
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        SystemdNotifier.send(
            "RELOADING=1\nMONOTONIC_USEC=\(Int(monotonic.tv_sec) * 1_000_000 + Int(monotonic.tv_nsec) / 1000)")
        defer { SystemdNotifier.send("READY=1") }
        let now = clock.now
        do {
            let config = try ConfigLoader.load(path: path)
            var summary = ConfigDiff.summary(from: holder.config, to: config)
            // Subscribers get ready first: the sender's channels are in place before anything routes.
            for subscriber in subscribers { await subscriber.prepare(for: config) }
            holder.replace(with: config)
            for (override, reason) in holder.unusableOverrides {
                summary.append(
                    "cover \(override.id) ignored: \(reason); remove it with crisisctl rota uncover \(override.id)")
                logger.warning(
                    "rota cover ignored after reload", metadata: ["id": "\(override.id)", "reason": "\(reason)"])
            }
            for subscriber in subscribers { await subscriber.applied(config) }
            last.withLock { $0 = .init(at: now, succeeded: true, summary: summary) }
            metrics.configure(for: config)
            metrics.reloaded(succeeded: true, at: now)
            try? await store.append([
                JournalEntry(
                    at: now, kind: .configReloaded, actor: "crisisd",
                    data: ["path": path, "changes": summary.joined(separator: "; ")])
            ])
            logger.notice(
                "config reloaded",
                metadata: .event(.configReloaded, ["path": "\(path)", "changes": "\(summary.joined(separator: "; "))"]))
            RotaGapWarning.log(holder, logger: logger, now: now)
        } catch {
            let problems = error.issues.map(\.description)
            last.withLock { $0 = .init(at: now, succeeded: false, summary: problems) }
            metrics.reloaded(succeeded: false, at: now)
            try? await store.append([
                JournalEntry(
                    at: now, kind: .configReloadFailed, actor: "crisisd",
                    data: ["path": path, "problems": problems.joined(separator: "; ")])
            ])
            logger.error(
                "config reload refused: the old config stays in force",
                metadata: .event(.reloadFailed, ["path": "\(path)", "problems": "\(problems.count)"]))
            // The same id, so that `journalctl MESSAGE_ID=` shows the reasons with the refusal.
            for problem in problems {
                logger.error(
                    "config problem",
                    metadata: .event(.reloadFailed, ["path": "\(path)", "problem": "\(problem)"]))
            }
        }
    }
}
