import ArgumentParser
import CrisisConfig
import CrisisCore
import Foundation

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Load and check the config without a daemon; print every problem with its place.",
        discussion: """
            Also checks coverage: every stretch in the next weeks where a rotation or schedule the
            escalation policy pages has no one on duty. Gaps are warnings; --strict makes them errors.
            Exits 0 when the config is valid, and 1 when it has problems (or gaps, with --strict).

            Examples:
              crisisctl check-config --config /etc/crisisd/crisisd.toml
              crisisctl check-config --weeks 12 --strict
            """)

    @OptionGroup var options: ConfigOption

    @Option(help: "How many weeks ahead to check coverage.")
    var weeks = 8

    @Option(
        help: "Check coverage from this time on (default: now): 2026-11-23T14:00:00Z or \"2026-11-23 15:00\" (local).")
    var from: String?

    @Flag(help: "Fail (exit 1) when the rota has a gap.")
    var strict = false

    func run() throws {
        let path = options.path
        let config: Config
        do {
            config = try ConfigLoader.load(path: path)
        } catch {
            print("\(path): \(error.issues.count) problem(s)")
            for issue in error.issues { print("  \(issue)") }
            throw ExitCode(1)
        }
        guard (1...104).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 104") }
        print(
            "\(path): OK (\(config.people.count) people, \(config.channels.count) channels, \(config.rotations.count) rotations, \(config.schedules.count) schedules, \(config.requesters.count) requesters)"
        )
        let now = try from.map { try parseTime($0, config, option: "--from") } ?? Date()
        let rota = config.rota
        let format = Formatting(timeZone: config.timeZone, now: now)
        for entry in OnCallView(rota: rota, at: now).rotations {
            print("  on duty now on \(entry.rotation): \(entry.name ?? entry.person ?? "NO ONE")")
        }
        let gaps = rota.gaps(in: rota.targets(of: config.escalation), from: now, to: now + Double(weeks) * 7 * 86_400)
        if gaps.isEmpty {
            print("Coverage: no gaps in the next \(weeks) weeks.")
            return
        }
        print("Coverage: \(gaps.count) gap(s) in the next \(weeks) weeks, when no one is on duty:")
        for gap in gaps {
            print("  \(gap.target): from \(format.time(gap.start)) until \(format.time(gap.end))")
        }
        if strict { throw ExitCode(1) }
    }
}
