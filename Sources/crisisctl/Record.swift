import ArgumentParser
import CrisisCore
import Foundation

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Record a milestone: contacted, dispatched, onsite, waive-onsite, waive, resolved or leader-informed.",
        discussion: """
            Milestones:
              contacted        a psychologist has spoken with the affected
                               person(s): meets the 1-hour contact clock
              dispatched       a crisis psychologist is sent to the site
                               (--to PERSON)
              onsite           the crisis psychologist has arrived: meets
                               the 4-hour on-site clock
              waive-onsite     no one is needed on site (--reason TEXT):
                               waives the on-site clock
              waive            waives the clock --clock NAME (--reason TEXT),
                               where its rule lets it be waived
              resolved         the crisis is closed (--outcome TEXT); its
                               clocks must have ended first
              leader-informed  after a crisis an employee raised: their
                               leader has been told

            Examples:
              crisisctl record CR-7K4P contacted --by anna
              crisisctl record CR-7K4P contacted --by anna \\
                --at "2026-11-23 15:10"          (a call logged afterwards)
              crisisctl record CR-7K4P waive-onsite --by anna \\
                --reason "assessed by phone: no on-site need"
            """)

    @OptionGroup var options: ConfigOption

    @Argument(help: "The crisis reference, e.g. CR-7K4P.")
    var reference: String

    @Argument(help: "contacted, dispatched, onsite, waive-onsite, waive, resolved or leader-informed.")
    var milestone: String

    @Option(help: "Who did it: a person id from the config.")
    var by: String?

    @Option(help: "When it happened, if not now (never in the future).")
    var at: String?

    @Option(help: "For dispatched: the crisis psychologist sent.")
    var to: String?

    @Option(help: "For waive-onsite and waive: why the clock is not needed.")
    var reason: String?

    @Option(help: "For waive: the clock's name, as in the config's [clocks] (e.g. onsite).")
    var clock: String?

    @Option(help: "For resolved: how it ended (kept in the database only).")
    var outcome: String?

    @Flag(help: "Print the crisis as JSON.")
    var json = false

    func run() throws {
        let config = try options.load()
        let reference = try parseReference(reference)
        let at = try at.map { try parseTime($0, config, option: "--at") }
        let client = ControlClient(socket: config.controlSocket)
        let crisis: CrisisView
        do {
            crisis = try client.post(
                "/v1/crises/\(reference)/milestones",
                body: MilestoneRequest(
                    milestone: milestone, at: at, by: by, to: to, reason: reason, outcome: outcome, clock: clock),
                as: CrisisView.self)
        } catch {
            throw fail(error, socket: config.controlSocket)
        }
        if json {
            printJSON(crisis)
            return
        }
        let format = Formatting(timeZone: config.timeZone, now: Date())
        print("Recorded \(milestone) for \(reference).\(crisis.status == .resolved ? " The crisis is resolved." : "")")
        for clock in crisis.clocks { print("  " + format.clock(clock)) }
    }
}
