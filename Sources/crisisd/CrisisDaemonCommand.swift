import ArgumentParser
import CrisisApp
import CrisisConfig
import CrisisSystemd
import Foundation
import Logging
import UnixSignals

/// `crisisd`: runs in the foreground, as systemd expects. No self-daemonizing.
@main
struct CrisisDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crisisd",
        abstract: "Dispatches workplace crises to the chief psychologist on duty.",
        version: Daemon.version)

    @Option(name: .long, help: "The config file (else $CRISISD_CONFIG, else /etc/crisisd/crisisd.toml).")
    var config: String?

    func run() async throws {
        // Until the reloader listens, a SIGHUP must not end the daemon (its default action).
        signal(SIGHUP, SIG_IGN)
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        // Under journald, its native protocol (fields ops filter on); else standard error.
        let target = LogTarget.choose()
        LoggingSystem.bootstrap { label in target.handler(label: label, level: level) }
        let logger = Logger(label: "crisisd")
        let path = ConfigLoader.resolvePath(config)
        let loaded: Config
        do {
            loaded = try ConfigLoader.load(path: path)
        } catch {
            FileHandle.standardError.write(Data("crisisd: refusing to start: \(path) is not valid:\n".utf8))
            for issue in error.issues {
                FileHandle.standardError.write(Data("  \(issue)\n".utf8))
            }
            throw ExitCode(78)  // EX_CONFIG
        }
        // Signals are mapped here, in one place: the app itself only hears events.
        let (events, requests) = AsyncStream.makeStream(of: DaemonEvent.self)
        let signals = Task {
            for await signal in await UnixSignalsSequence(trapping: .sighup, .sigterm, .sigint) {
                requests.yield(signal == .sighup ? .reload : .shutdown)
            }
        }
        defer { signals.cancel() }
        do {
            try await Daemon.run(config: loaded, configPath: path, logger: logger, events: events)
        } catch {
            logger.critical("crisisd stopped on an error", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}
