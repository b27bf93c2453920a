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
        discussion: """
            crisisd takes crises from crisisctl(1) and its HTTP API, records each one on disk before \
            answering, pages whoever is on duty in the config's rota, escalates while nobody \
            acknowledges, and runs the contract's clocks (contact within 1 hour, on site within 4 hours). \
            Every step goes into an append-only journal in one SQLite file.

            It runs in the foreground, as systemd expects of a Type=notify service: it tells systemd \
            READY=1 once the HTTP API and the control socket are up, and logs to standard error, with \
            syslog priorities when journald reads it. A config with problems is refused with every \
            problem and its place listed, and crisisd exits with status 78.

            Signals:
              SIGHUP           re-read the config; if it is refused, the old
                               one stays in force
              SIGTERM, SIGINT  stop, after telling systemd STOPPING=1

            Environment:
              CRISISD_CONFIG   the config file when --config is not given
              LOG_LEVEL        trace, debug, info (the default), notice,
                               warning, error or critical
              LOG_TARGET       journal, stderr, or auto (the default): the
                               journal under systemd, or when journald runs
                               and standard error is not a terminal

            Files:
              /etc/crisisd/crisisd.toml
                  the config; crisisctl check-config checks it
              /var/lib/crisisd/crisisd.sqlite
                  crises, clocks, pages and the journal (state_dir)
              /run/crisisd/control.sock
                  the socket crisisctl talks to ([control] socket)
              /usr/local/share/doc/crisisd/Runbooks
                  what to do when crisisd reports a problem

            Examples:
              systemctl reload crisisd      check the config, then SIGHUP
              journalctl -u crisisd -p warning --since -1h
              crisisd --config Deploy/crisisd.example.toml
                  in the foreground, from a source tree
            """,
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
