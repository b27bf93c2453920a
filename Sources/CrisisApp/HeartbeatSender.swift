import CrisisConfig
import CrisisCore
import CrisisNotify
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Pings `[heartbeat] url` (a dead-man's switch such as healthchecks.io) every `interval` while
/// crisisd is healthy, and not while it is not: when the pings stop, whether the host died, the
/// engine stalled or the disk filled, someone else is told. A reload applies a changed
/// `[heartbeat]` from the next ping.
public final class HeartbeatSender: Service, Sendable {
    private let config: ConfigHolder
    private let healthy: @Sendable () -> Bool?
    private let clock: any WallClock
    private let logger: Logger
    private let withholding = Mutex(false)

    /// - Parameter healthy: whether crisisd is healthy now (the health monitor's last verdict);
    ///   nil while it is still starting.
    public init(
        config: ConfigHolder, healthy: @escaping @Sendable () -> Bool?, clock: any WallClock, logger: Logger
    ) {
        self.config = config
        self.healthy = healthy
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // With no [heartbeat], look again after a minute: a reload may add one.
                let interval = self.config.config.heartbeat?.interval ?? 60
                try await self.clock.sleep(until: self.clock.now + interval)
                if let heartbeat = self.config.config.heartbeat { await self.beat(heartbeat) }
            }
        }
    }

    private func beat(_ heartbeat: Config.Heartbeat) async {
        guard let healthy = healthy() else { return }
        let changed = withholding.withLock { withholding in
            defer { withholding = !healthy }
            return withholding == healthy
        }
        guard healthy else {
            if changed { logger.warning("heartbeat withheld: crisisd is not healthy (see /healthz)") }
            return
        }
        if changed { logger.notice("heartbeat resumed") }
        // The URL may carry the check's secret: logs name its host only.
        let host = Redaction.redact(heartbeat.url)
        switch await CurlHTTPClient.send(HTTPCall(url: heartbeat.url, timeout: heartbeat.timeout)) {
        case .success(let reply) where (200..<300).contains(reply.status):
            logger.debug("heartbeat sent", metadata: ["to": "\(host)"])
        case .success(let reply):
            logger.warning("heartbeat refused", metadata: ["to": "\(host)", "status": "\(reply.status)"])
        case .failure(let failure):
            logger.warning(
                "heartbeat not delivered",
                metadata: ["to": "\(host)", "error": "\(Redaction.scrub(failure.message, secrets: [heartbeat.url]))"])
        }
    }
}
