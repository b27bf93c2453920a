import CrisisConfig
import CrisisCore
import CrisisHTTP
import CrisisNotify
import CrisisSQLite
import CrisisStorage
import CrisisSystemd
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// crisisd itself: opens the store, starts the page sender and both listeners, and runs until it
/// is asked to shut down. It touches no signals: `events` carries reloads and the shutdown, which
/// the executable maps from SIGHUP, SIGTERM and SIGINT, and which a test sends itself.
public enum Daemon {
    public static let version = "0.1.0"

    public enum StartError: Error, CustomStringConvertible {
        case stateDir(String, String)
        case socketInUse(String)

        public var description: String {
            switch self {
            case .stateDir(let path, let reason): "cannot use state_dir \(path): \(reason)"
            case .socketInUse(let path): "another crisisd is answering on \(path); stop it first"
            }
        }
    }

    /// - Parameter store: where crises are kept; by default the SQLite file in `state_dir`. Tests
    ///   may hand in another implementation of the port (the in-memory one).
    /// - Parameter metrics: what `GET /metrics` shows; the daemon's own registry unless a test hands one in.
    public static func run(
        config: Config, configPath: String, logger: Logger, clock: any WallClock = SystemWallClock(),
        store given: (any CrisisStore)? = nil, metrics: DaemonMetrics = DaemonMetrics(),
        events: AsyncStream<DaemonEvent>
    ) async throws {
        CurlHTTPClient.setUp()
        try prepareStateDir(config.stateDir)
        let opened: any CrisisStore
        if let given {
            opened = given
        } else {
            opened = try await SQLiteCrisisStore.open(
                path: config.databasePath, commitTimed: { metrics.committed(in: $0) })
        }
        // Every write tells the health check whether commits work (a full disk fails them).
        let commits = CommitWatch()
        let store = WatchedCrisisStore(opened, commits: commits, clock: clock)
        let now = clock.now
        metrics.configure(for: config)
        metrics.reloaded(succeeded: true, at: now)
        try await store.append([
            JournalEntry(
                at: now, kind: .daemonStarted, actor: "crisisd", data: ["version": version, "pid": "\(getpid())"]),
            JournalEntry(
                at: now, kind: .configLoaded, actor: "crisisd",
                data: [
                    "path": configPath, "people": "\(config.people.count)", "rotations": "\(config.rotations.count)",
                    "schedules": "\(config.schedules.count)",
                    "channels": "\(config.channels.count)", "requesters": "\(config.requesters.count)",
                ]),
        ])

        let holder = ConfigHolder(config, overrides: try await store.overrides())
        for (override, reason) in holder.unusableOverrides {
            logger.warning("rota cover ignored at start", metadata: ["id": "\(override.id)", "reason": "\(reason)"])
        }
        RotaGapWarning.log(holder, logger: logger, now: now)
        let sender = PageSender(
            store: store, channels: PageChannels(config, logger: logger),
            retry: config.delivery.retry, publicURL: config.http.publicURL,
            ackLinkValidFor: config.http.ackLinkValidFor, ackLinkKey: Self.ackLinkKey(config, logger: logger),
            perRecipient: config.delivery.perRecipient, clock: clock, logger: logger, metrics: metrics)
        // READY=1 once the engine's first pass has acted on overdue deadlines and both listeners are up.
        let running = Mutex(0)
        let statusFacts: @Sendable () async throws -> (open: StatusLine.Summary, onDuty: [String]) = {
            let onDuty = OnCallView(rota: holder.rota, at: clock.now).rotations.compactMap { $0.name ?? $0.person }
            return (try await store.openSummary(), onDuty)
        }
        let partReady: @Sendable () -> Void = {
            let count = running.withLock { value in
                value += 1
                return value
            }
            guard count == 3 else { return }
            chmod(config.controlSocket, 0o660)
            logger.notice(
                "crisisd ready",
                metadata: [
                    "listen": "\(config.http.host):\(config.http.port)", "socket": "\(config.controlSocket)",
                    "version": "\(version)",
                ])
            Task {
                let facts = try? await statusFacts()
                SystemdNotifier.ready(
                    status: StatusLine.text(
                        facts?.open ?? StatusLine.Summary(open: 0, next: nil), onDuty: facts?.onDuty ?? [],
                        now: clock.now))
            }
        }
        let progress = EngineProgress(firstPass: partReady)
        #if DEBUG
            let stallFile = ProcessInfo.processInfo.environment["CRISISD_DEBUG_STALL_ENGINE_FILE"]
        #else
            let stallFile: String? = nil
        #endif
        let engine = EscalationEngine(
            store: store, config: holder, clock: clock, logger: logger, metrics: metrics, progress: progress,
            stallFile: stallFile, claimedPages: sender, pagesQueued: { sender.wake() })
        let (reloads, reloadRequests) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let reloader = ConfigReloader(
            path: configPath, holder: holder, store: store, subscribers: [sender, engine], clock: clock,
            logger: logger, metrics: metrics, requests: reloads)
        let monitor = HealthMonitor(
            store: store, progress: progress, commits: commits, wakeEngine: { engine.checkAlive() },
            lastReload: { reloader.lastReload }, statusFacts: statusFacts, clock: clock, logger: logger)
        let heartbeat = HeartbeatSender(
            config: holder, healthy: { monitor.latest?.isHealthy }, clock: clock, logger: logger)
        let startedAt = now
        let service = DaemonCrisisService(
            store: store, config: holder, clock: clock, logger: logger, metrics: metrics,
            status: {
                DaemonStatus(
                    version: version, startedAt: startedAt, configPath: configPath, lastReload: reloader.lastReload)
            },
            health: { await monitor.assess() }, claimedPages: sender,
            changed: { change in
                if change.outbox { sender.wake() }
                engine.wake(for: change.deadlines)
                monitor.changed()
            })

        try prepareSocket(config.controlSocket)
        let apiRouter = APIRoutes.router(
            service: service,
            access: .bearerTokens({
                let config = holder.config
                return config.requesters.flatMap { requester in
                    requester.tokenSHA256s.map { (caller: Caller.requester(id: requester.id), sha256: $0) }
                }
                    + config.people.compactMap { person in
                        person.apiTokenSHA256.map { (caller: Caller.person(id: person.id), sha256: $0) }
                    }
            }),
            maxBodyBytes: config.http.maxBodyBytes, logger: logger)
        MetricsRoute.add(
            to: apiRouter, tokenSHA256: { holder.config.http.metricsTokenSHA256 },
            exposition: { await metrics.scrape(store: store, now: clock.now) })
        let api = Application(
            router: apiRouter,
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(config.http.idleTimeout * 1000)))),
            configuration: .init(
                address: .hostname(config.http.host, port: config.http.port), serverName: "crisisd",
                availableConnectionsDelegate: ConnectionLimit(maximum: config.http.maxConnections, logger: logger)),
            onServerRunning: { _ in partReady() },
            logger: logger)
        let control = Application(
            router: APIRoutes.router(
                service: service, access: .localSocket, maxBodyBytes: config.http.maxBodyBytes, logger: logger),
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(config.http.idleTimeout * 1000)))),
            configuration: .init(address: .unixDomainSocket(path: config.controlSocket), serverName: "crisisd"),
            onServerRunning: { _ in partReady() },
            logger: logger)

        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: ShutdownNotice()), .init(service: sender), .init(service: engine),
                    .init(service: reloader), .init(service: api), .init(service: control),
                    .init(service: monitor), .init(service: heartbeat),
                ],
                logger: logger))
        let bridge = Task {
            for await event in events {
                switch event {
                case .reload: reloadRequests.yield()
                case .shutdown: await group.triggerGracefulShutdown()
                }
            }
        }
        defer { bridge.cancel() }
        do {
            try await group.run()
        } catch {
            try? await store.append([
                JournalEntry(at: clock.now, kind: .daemonStopping, actor: "crisisd", data: ["error": "\(error)"])
            ])
            throw error
        }
        try? await store.append([
            JournalEntry(at: clock.now, kind: .daemonStopping, actor: "crisisd", data: ["reason": "signal"])
        ])
        unlink(config.controlSocket)
        logger.notice("crisisd stopped")
    }

    /// The key of claimed pages' link tokens (`StateKey.ackLinks`). Without it (an unreadable
    /// file) links are random: they work all the same, but a page whose transaction failed after
    /// it went out carries a link that never will.
    static func ackLinkKey(_ config: Config, logger: Logger) -> [UInt8]? {
        do {
            return try StateKey(stateDir: config.stateDir, fileName: StateKey.ackLinks).bytes()
        } catch {
            logger.warning(
                "acknowledgement link key unusable: links are drawn at random and work; make the file crisisd's (or delete it) and restart crisisd",
                metadata: ["reason": "\(error)"])
            return nil
        }
    }

    static func prepareStateDir(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw StartError.stateDir(path, error.localizedDescription)
        }
        guard access(path, W_OK) == 0 else { throw StartError.stateDir(path, "not writable") }
    }

    /// Makes the socket's folder and clears a socket file left by a killed daemon, but never one
    /// that a running daemon still answers on.
    static func prepareSocket(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
        guard FileManager.default.fileExists(atPath: path) else { return }
        let probe = CurlHTTPClient.perform(HTTPCall(url: "http://localhost/healthz", timeout: 2, unixSocket: path))
        if case .success = probe { throw StartError.socketInUse(path) }
        unlink(path)
    }
}
