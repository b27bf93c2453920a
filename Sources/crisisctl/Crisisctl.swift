import ArgumentParser
import CrisisConfig
import CrisisCore
import Foundation

@main
struct Crisisctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crisisctl",
        abstract: "Raise, acknowledge and follow workplace crises handled by crisisd.",
        discussion: """
            crisisctl talks to a running crisisd(8) over its control socket ([control] socket in the \
            config, /run/crisisd/control.sock by default): root and members of group crisisd may use it. \
            It reads the same config as the daemon, from --config (before or after the subcommand), \
            else $CRISISD_CONFIG, else /etc/crisisd/crisisd.toml. check-config, oncall, rota show \
            and backup work without the daemon. When crisisd cannot be reached, trigger says so and prints the \
            phone numbers of the people on duty, so the crisis can be phoned in.

            Times are shown in the config's timezone. Options that take a time accept \
            2026-11-23T14:00:00Z, "2026-11-23 15:00" (in the config's timezone), or 2h for two hours ago.

            Exit status:
              0    done
              1    check-config found problems in the config
              64   a usage error: an unknown option, or a reference or
                   time that does not parse
              65   crisisd refused the request (an unknown person, say,
                   or a milestone out of order)
              66   no such crisis (backup: no database in state_dir)
              69   crisisd is not reachable on its socket
              73   backup: FILE exists, or its folder does not
              74   backup: the copy failed or is damaged
              77   backup: not permitted to read the database or
                   to write FILE
              78   the config is broken beyond reading its socket and
                   phone numbers

            Examples:
              crisisctl trigger --category violence --site "Depot, gate 2" \\
                --callback "+45 20 00 00 00"
              crisisctl ack CR-7K4P --by anna
              crisisctl status
              crisisctl record CR-7K4P contacted --by anna
              crisisctl oncall --at "2026-12-24 19:00"
              crisisctl check-config --config /etc/crisisd/crisisd.toml
              crisisctl backup /var/backups/crisisd/crisisd.sqlite
            """,
        version: "0.1.0",
        subcommands: [
            Trigger.self, Ack.self, Record.self, Status.self, Journal.self, OnCall.self, RotaCommand.self,
            CheckConfig.self, Token.self, BoardLinkCommand.self, Backup.self,
        ])

    /// Accepts `--config PATH` before the subcommand as well as after it: a leader at 3 a.m.
    /// should not have to know where an option goes.
    static func main() {
        main(hoistingConfig(Array(CommandLine.arguments.dropFirst())))
    }

    static func hoistingConfig(_ arguments: [String]) -> [String] {
        guard let first = arguments.first, first == "--config" || first.hasPrefix("--config=") else { return arguments }
        let taken = first == "--config" ? Array(arguments.prefix(2)) : [first]
        return Array(arguments.dropFirst(taken.count)) + taken
    }
}

/// `--config`, shared by every subcommand: the same file the daemon reads.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The config file (else $CRISISD_CONFIG, else /etc/crisisd/crisisd.toml).")
    var config: String?

    var path: String { ConfigLoader.resolvePath(config) }

    /// Loads the config. A file broken since the daemon read it must not stop a leader from
    /// raising a crisis: crisisctl then warns and goes on with the socket, time zone and phone
    /// numbers alone. `salvagingBrokenTOML` (for trigger) reads them even from a file that is
    /// not TOML at all; other commands then stop with exit 78.
    func load(salvagingBrokenTOML: Bool = false) throws -> Config {
        do {
            return try ConfigLoader.load(path: path)
        } catch {
            guard let essentials = ConfigLoader.essentials(path: path, salvagingBrokenTOML: salvagingBrokenTOML) else {
                warn("crisisctl: \(path) is not valid:")
                for issue in error.issues { warn("  \(issue)") }
                throw ExitCode(78)
            }
            if error.issues.count == 1, let issue = error.issues.first, issue.message.hasPrefix("not valid TOML") {
                warn("crisisctl: warning: \(path) \(issue); going on with its socket \(essentials.controlSocket).")
            } else {
                warn(
                    "crisisctl: warning: \(path) has \(error.issues.count) problem(s) (crisisctl check-config lists them); going on with its socket \(essentials.controlSocket)."
                )
            }
            return essentials
        }
    }
}

/// Exit codes from sysexits.h, so scripts can tell the cases apart.
enum Exit {
    static let badInput = ExitCode(65)
    static let unavailable = ExitCode(69)
    static let notFound = ExitCode(66)
}

/// Says why a call failed, in words for a person, and exits.
func fail(_ failure: ControlClient.Failure, socket: String) -> ExitCode {
    switch failure {
    case .unreachable(let reason):
        warn("crisisctl: crisisd is not reachable on \(socket) (\(reason)). Is it running? systemctl status crisisd")
        return Exit.unavailable
    case .rejected(let status, let body):
        warn("crisisctl: \(body.error)")
        return status == 404 ? Exit.notFound : Exit.badInput
    }
}

func parseReference(_ text: String) throws -> CrisisReference {
    guard let reference = CrisisReference(parsing: text) else {
        throw ValidationError("\"\(text)\" is not a crisis reference such as CR-7K4P")
    }
    return reference
}

func parseTime(_ text: String, _ config: Config, option: String) throws -> Date {
    guard let date = InstantParser.parse(text, timeZone: config.timeZone, now: Date()) else {
        throw ValidationError(
            "\(option): \"\(text)\" is not a time (use 2026-11-23T14:00:00Z, \"2026-11-23 15:00\" in \(config.timeZone.identifier), or 2h for two hours ago)"
        )
    }
    return date
}
