import ArgumentParser
import CrisisCore
import Foundation

struct Journal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the append-only journal of everything crisisd did.",
        discussion: """
            Examples:
              crisisctl journal --crisis CR-7K4P
              crisisctl journal --since 2h
            """)

    @OptionGroup var options: ConfigOption

    @Option(help: "Only this crisis.")
    var crisis: String?

    @Option(help: "From this time on: 2026-11-23T14:00:00Z, \"2026-11-23 15:00\" (local), or 2h (ago).")
    var since: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let config = try options.load()
        var query: [String] = []
        if let crisis { query.append("crisis=\(try parseReference(crisis))") }
        if let since {
            let date = try parseTime(since, config, option: "--since")
            query.append("since=\(date.formatted(.iso8601))")
        }
        let path = "/v1/journal" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let client = ControlClient(socket: config.controlSocket)
        let entries: [JournalEntry]
        do {
            entries = try client.get(path, as: [JournalEntry].self)
        } catch {
            throw fail(error, socket: config.controlSocket)
        }
        if json {
            printJSON(entries)
            return
        }
        let format = Formatting(timeZone: config.timeZone, now: Date())
        for entry in entries { print(format.journal(entry)) }
    }
}
