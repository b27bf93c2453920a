import ArgumentParser
import CrisisCore
import Foundation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show open crises with their clocks, or one crisis with its timeline.",
        discussion: """
            Without a reference: every crisis not yet resolved, with each clock's deadline or outcome. \
            With one: its call-back number, status, clocks, pages, milestones and journal.

            Examples:
              crisisctl status
              crisisctl status CR-7K4P --json
            """)

    @OptionGroup var options: ConfigOption

    @Argument(help: "A crisis reference: show that crisis in full.")
    var reference: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let config = try options.load()
        let client = ControlClient(socket: config.controlSocket)
        let format = Formatting(timeZone: config.timeZone, now: Date())
        do {
            if let reference {
                let reference = try parseReference(reference)
                let crisis = try client.get("/v1/crises/\(reference)", as: CrisisView.self)
                let timeline = try client.get("/v1/journal?crisis=\(reference)", as: [JournalEntry].self)
                if json {
                    printJSON(crisis)
                    return
                }
                print(
                    "\(crisis.drill ? "DRILL " : "")\(crisis.reference)  \(crisis.category.rawValue) at \(crisis.site)")
                print("Call back:   \(crisis.callback)   (requester: \(crisis.requesterRole.rawValue))")
                print("Received:    \(format.time(crisis.receivedAt))")
                if crisis.status == .resolved {
                    print("Status:      resolved")
                } else if let at = crisis.acknowledgedAt {
                    print("Status:      acknowledged by \(crisis.acknowledgedBy ?? "?") at \(format.time(at))")
                } else {
                    print("Status:      \(crisis.status.rawValue), NOT acknowledged")
                }
                print(
                    "Assigned:    \(crisis.assigned.joined(separator: ", "))\(crisis.noOneOnDuty ? "  (no one was on duty)" : "")"
                )
                print("Clocks:")
                for clock in crisis.clocks { print("  " + format.clock(clock)) }
                if crisis.acknowledgedAt == nil, !crisis.escalation.exhausted, let next = crisis.escalation.nextAt {
                    print("Escalation:  next step \(format.time(next)) (\(format.left(next)))")
                } else if crisis.escalation.exhausted {
                    print("Escalation:  EXHAUSTED: nobody acknowledged after every step")
                }
                if !crisis.milestones.isEmpty {
                    print("Milestones:")
                    for milestone in crisis.milestones {
                        print(
                            "  \(format.time(milestone.at))  \(milestone.kind.rawValue) by \(milestone.by)\(milestone.to.map { " to \($0)" } ?? "")"
                        )
                    }
                }
                print("Pages:")
                for page in crisis.pages {
                    print(
                        "  #\(page.id) \(page.kind) step \(page.step) to \(page.person) via \(page.channel): \(page.status), \(page.attempts) attempt(s)\(page.lastError.map { "; last error: \($0)" } ?? "")"
                    )
                }
                print("Timeline:")
                for entry in timeline { print("  " + format.journal(entry)) }
            } else {
                let daemon = try client.get("/v1/daemon", as: DaemonStatus.self)
                if let reload = daemon.lastReload, !reload.succeeded {
                    warn(
                        "WARNING: the config reload at \(format.time(reload.at)) was refused; the previous config is still in force:"
                    )
                    for problem in reload.summary { warn("  \(problem)") }
                    warn(
                        "Fix \(daemon.configPath), check it with crisisctl check-config, then systemctl reload crisisd."
                    )
                }
                let crises = try client.get("/v1/crises", as: [CrisisView].self)
                if json {
                    printJSON(crises)
                    return
                }
                if crises.isEmpty {
                    print("No open crises.")
                    return
                }
                for crisis in crises {
                    let state = crisis.acknowledgedBy.map { "acknowledged by \($0)" } ?? "NOT ACKNOWLEDGED"
                    print(
                        "\(crisis.drill ? "DRILL " : "")\(crisis.reference)  \(crisis.category.rawValue) at \(crisis.site), \(state), received \(format.time(crisis.receivedAt))"
                    )
                    for clock in crisis.clocks { print("    " + format.clock(clock)) }
                }
            }
        } catch let failure as ControlClient.Failure {
            throw fail(failure, socket: config.controlSocket)
        }
    }
}
