import ArgumentParser
import CrisisConfig
import CrisisCore
import Foundation

struct RotaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rota",
        abstract: "Show the rota, write cover and swaps, export shifts as a calendar.",
        subcommands: [Show.self, Cover.self, Overrides.self, Uncover.self, ICal.self])

    /// The rota as crisisd has it (cover included), or from the file when it cannot be reached.
    static func shifts(_ config: Config, from: Date, to: Date, person: String?, path: String) throws -> [Duty] {
        let client = ControlClient(socket: config.controlSocket)
        var query = "from=\(from.formatted(.iso8601))&to=\(to.formatted(.iso8601))"
        if let person { query += "&person=\(person)" }
        do {
            return try client.get("/v1/rota?\(query)", as: [Duty].self)
        } catch .unreachable {
            warn("crisisctl: crisisd is not reachable; answering from \(path), without cover written at run time.")
            return config.rota.targets.flatMap { config.rota.timeline($0, from: from, to: to) }
                .filter { person == nil || $0.person == person }
                .sorted { ($0.start, $0.target) < ($1.start, $1.target) }
        } catch {
            throw fail(error, socket: config.controlSocket)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who is on duty, stretch by stretch.")

        @OptionGroup var options: ConfigOption

        @Option(help: "The first day (default: today).")
        var from: String?

        @Option(help: "How many days.")
        var days = 14

        @Option(help: "Only this person's shifts.")
        var person: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let config = try options.load()
            guard (1...400).contains(days) else { throw ValidationError("--days must be between 1 and 400") }
            let start =
                try from.map { try parseTime($0, config, option: "--from") }
                ?? LocalDateTime(Date(), in: config.timeZone).startOfDay.instant(in: config.timeZone)
            // Calendar days: a range across a clock change still ends at the same wall-clock time.
            let end = LocalDateTime(start, in: config.timeZone).adding(days: days).instant(in: config.timeZone)
            let shifts = try RotaCommand.shifts(config, from: start, to: end, person: person, path: options.path)
            if json {
                printJSON(shifts)
                return
            }
            let format = Formatting(timeZone: config.timeZone, now: Date())
            let width = max(8, shifts.map(\.target.count).max() ?? 0)
            print("\(pad("ROTA", width))  \(pad("FROM", 24))  \(pad("UNTIL", 24))  ON DUTY")
            for shift in shifts {
                let who =
                    shift.person.map { id in config.person(id).map { "\($0.name) (\(id)) \($0.phone)" } ?? id }
                    ?? "NO ONE (gap)"
                let cover =
                    shift.source?.hasPrefix("override:") == true ? "  [cover \(shift.source!.dropFirst(9))]" : ""
                print(
                    "\(pad(shift.target, width))  \(pad(format.time(shift.start), 24))  \(pad(format.time(shift.end), 24))  \(who)\(cover)"
                )
            }
        }
    }

    struct Cover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a person on duty on a rotation or schedule for a while: cover, or one half of a swap.",
            discussion: """
                Written to crisisd's database and journaled, so no one has to edit the config at night.
                Example: crisisctl rota cover --rotation chiefs --person bo --from "2026-12-24 08:00" --to "2026-12-27 08:00"
                """)

        @OptionGroup var options: ConfigOption

        @Option(help: "The rotation covered.")
        var rotation: String?

        @Option(help: "The schedule covered (instead of --rotation).")
        var schedule: String?

        @Option(help: "Who is on duty instead.")
        var person: String

        @Option(help: "From (local time in the config's zone, or ISO 8601).")
        var from: String

        @Option(help: "Until.")
        var to: String

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let config = try options.load()
            let request = OverrideRequest(
                rotation: rotation, schedule: schedule, person: person,
                from: try parseTime(from, config, option: "--from"), to: try parseTime(to, config, option: "--to"))
            let client = ControlClient(socket: config.controlSocket)
            let override: RotaOverride
            do {
                override = try client.post("/v1/rota/overrides", body: request, as: RotaOverride.self)
            } catch {
                throw fail(error, socket: config.controlSocket)
            }
            if json {
                printJSON(override)
                return
            }
            let format = Formatting(timeZone: config.timeZone, now: Date())
            print(
                "Cover \(override.id): \(override.person) on \(override.target) from \(format.time(override.from)) until \(format.time(override.to))."
            )
            print("Undo with: crisisctl rota uncover \(override.id)")
        }
    }

    struct Overrides: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the cover written with rota cover.")

        @OptionGroup var options: ConfigOption

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let config = try options.load()
            let client = ControlClient(socket: config.controlSocket)
            let overrides: [RotaOverride]
            do {
                overrides = try client.get("/v1/rota/overrides", as: [RotaOverride].self)
            } catch {
                throw fail(error, socket: config.controlSocket)
            }
            if json {
                printJSON(overrides)
                return
            }
            let format = Formatting(timeZone: config.timeZone, now: Date())
            if overrides.isEmpty { print("No cover written at run time.") }
            for override in overrides {
                print(
                    "\(override.id)  \(override.target): \(override.person) from \(format.time(override.from)) until \(format.time(override.to)) (by \(override.createdBy))"
                )
            }
            if !config.overrides.isEmpty {
                print("And \(config.overrides.count) override(s) in \(options.path).")
            }
        }
    }

    struct Uncover: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove cover written with rota cover.")

        @OptionGroup var options: ConfigOption

        @Argument(help: "The id shown by rota cover and rota overrides.")
        var id: String

        func run() throws {
            let config = try options.load()
            let client = ControlClient(socket: config.controlSocket)
            do {
                let removed = try client.delete("/v1/rota/overrides/\(id)", as: RotaOverride.self)
                print("Removed cover \(removed.id): \(removed.person) on \(removed.target).")
            } catch {
                throw fail(error, socket: config.controlSocket)
            }
        }
    }

    struct ICal: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ical", abstract: "Write shifts as an iCalendar file (a week back, 13 weeks ahead).")

        @OptionGroup var options: ConfigOption

        @Option(help: "Only this person's shifts.")
        var person: String?

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        func run() throws {
            let config = try options.load()
            let now = Date()
            let text: String
            let client = ControlClient(socket: config.controlSocket)
            do {
                text = try client.text("/v1/rota.ics" + (person.map { "?person=\($0)" } ?? ""))
            } catch .unreachable {
                warn(
                    "crisisctl: crisisd is not reachable; answering from \(options.path), without cover written at run time."
                )
                text = RotaCalendar.feed(rota: config.rota, person: person, now: now)
            } catch {
                throw fail(error, socket: config.controlSocket)
            }
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
