import ArgumentParser
import CrisisCore
import Foundation

struct OnCall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oncall", abstract: "Who is on duty now, or at another time.",
        discussion: """
            Each rotation and schedule with who is on duty, since and until when, the backup, and the \
            next hand-off, cover written with rota cover included. When crisisd is not running, it \
            answers from the config alone, without that cover.

            Examples:
              crisisctl oncall
              crisisctl oncall --at "2026-12-24 19:00"
            """)

    @OptionGroup var options: ConfigOption

    @Option(help: "The time to ask about (default: now).")
    var at: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let config = try options.load()
        let instant = try at.map { try parseTime($0, config, option: "--at") }
        let client = ControlClient(socket: config.controlSocket)
        var view: OnCallView
        do {
            view = try client.get(
                "/v1/oncall" + (instant.map { "?at=\($0.formatted(.iso8601))" } ?? ""), as: OnCallView.self)
        } catch .unreachable {
            warn("crisisctl: crisisd is not reachable; answering from \(options.path).")
            view = OnCallView(rota: config.rota, at: instant ?? Date())
        } catch {
            throw fail(error, socket: config.controlSocket)
        }
        if json {
            printJSON(view)
            return
        }
        let format = Formatting(timeZone: config.timeZone, now: Date())
        print("On duty at \(format.time(view.at)):")
        func describe(_ person: OnCallView.Person?) -> String {
            guard let person else { return "NO ONE" }
            let since = person.since.map { " since \(format.time($0))" } ?? ""
            let until = person.until.map { " until \(format.time($0))" } ?? ""
            return "\(person.name ?? person.id) \(person.phone ?? "")\(since)\(until)"
        }
        for entry in view.rotations {
            print("  \(entry.kind) \(entry.rotation): \(describe(entry.primary))")
            if let backup = entry.backupTarget {
                print("    backup (\(backup)): \(describe(entry.backup))")
            }
            if let next = entry.nextHandoff { print("    next hand-off: \(format.time(next))") }
        }
    }
}
