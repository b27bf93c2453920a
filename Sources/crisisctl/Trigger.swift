import ArgumentParser
import CrisisConfig
import CrisisCore
import Foundation

struct Trigger: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report a crisis: the chief psychologist on duty is paged at once.",
        discussion: """
            Example:
              crisisctl trigger --category violence --site "Depot, gate 2" \\
                --callback "+45 20 00 00 00"
            """)

    @OptionGroup var options: ConfigOption

    @Option(help: "violence, accident, death, harassment or other.")
    var category: String

    @Option(help: "Where it happened: workplace and address.")
    var site: String

    @Option(help: "The phone number the psychologist calls back.")
    var callback: String

    @Option(help: "Your name (kept in the database only, never paged).")
    var requesterName: String?

    @Option(help: "leader, leaders-leader, hr or employee.")
    var requesterRole: String?

    @Flag(help: "The crisis concerns a group rather than individuals.")
    var group = false

    @Option(help: "How many people are affected.")
    var people: Int?

    @Option(help: "A note for the provider's records (kept in the database only; never paged or logged).")
    var note: String?

    @Flag(help: "A drill: paged like a real crisis, marked DRILL, left out of reports.")
    var drill = false

    @Option(help: "Makes a retried command safe: the same key never raises a second crisis.")
    var idempotencyKey: String?

    @Flag(help: "Print the answer as JSON.")
    var json = false

    func run() throws {
        let config = try options.load(salvagingBrokenTOML: true)
        let form = IntakeForm(
            category: category, site: site, callback: callback, requesterName: requesterName,
            requesterRole: requesterRole, group: group ? true : nil, people: people, note: note,
            drill: drill ? true : nil)
        // Check here too, so a typo is reported even when the daemon is down.
        do {
            _ = try form.validated()
        } catch {
            for problem in error.problems {
                warn("crisisctl: --\(problem.field.replacingOccurrences(of: "_", with: "-")): \(problem.message)")
            }
            throw Exit.badInput
        }
        let client = ControlClient(socket: config.controlSocket)
        let receipt: IntakeReceipt
        do {
            receipt = try client.post(
                "/v1/crises", body: form, headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [],
                as: IntakeReceipt.self)
        } catch .unreachable(let reason) {
            warn(Self.daemonDown(config, reason: reason))
            throw Exit.unavailable
        } catch .rejected(let status, let body) where status >= 500 {
            // The daemon is up but could not record it: the leader still needs a way forward.
            warn(Self.daemonDown(config, reason: "it answered: \(body.error)"))
            throw Exit.unavailable
        } catch {
            throw fail(error, socket: config.controlSocket)
        }
        if json {
            printJSON(receipt)
            return
        }
        print(Self.describe(receipt, config: config))
    }

    static func describe(_ receipt: IntakeReceipt, config: Config) -> String {
        let format = Formatting(timeZone: config.timeZone, now: Date())
        var lines = [
            "\(receipt.drill ? "DRILL " : "")Received: \(receipt.reference) (\(receipt.created ? "new" : "already received earlier"))"
        ]
        if receipt.noOneOnDuty {
            lines.append("WARNING: no one is on duty in the rota right now: everyone below has been paged.")
        }
        for paged in receipt.paged {
            lines.append("Paged: \(paged.name) \(paged.phone)")
        }
        lines.append("Clocks:")
        for clock in receipt.clocks { lines.append("  " + format.clock(clock)) }
        if let first = receipt.paged.first, let ack = receipt.clocks.first(where: { $0.stop == .acknowledgement }) {
            lines.append(
                "If no psychologist calls you back by \(format.time(ack.dueAt)), phone \(first.name) at \(first.phone). Quote \(receipt.reference)."
            )
        }
        return lines.joined(separator: "\n")
    }

    /// What a leader reads when crisisd cannot be reached: never a dead end. The people are
    /// listed in the order the escalation policy would page them.
    static func daemonDown(_ config: Config, reason: String) -> String {
        var lines = [
            "crisisctl: crisisd is not reachable on \(config.controlSocket) (\(reason)).",
            "THE CRISIS WAS NOT RECORDED. Phone the chief psychologist on duty now:",
        ]
        let rota = config.rota
        var listed: [String] = []
        for step in config.escalation.steps {
            for recipient in Routing.route(step.targets, rota: rota, at: Date()).recipients
            where !listed.contains(recipient.person) {
                guard let person = config.person(recipient.person) else { continue }
                listed.append(recipient.person)
                lines.append("  \(person.name)  \(person.phone)  (\(recipient.reason))")
            }
        }
        // A broken config cannot say who is on duty; its phone numbers are still worth having.
        if listed.isEmpty && !config.people.isEmpty {
            lines.append("  (the config is broken: who is on duty is unknown; these are the people it names)")
            for person in config.people { lines.append("  \(person.name)  \(person.phone)") }
        } else if listed.isEmpty {
            lines.append("  (no phone number could be read from the config; phone the provider's crisis line)")
        }
        lines.append("Operators: systemctl status crisisd; journalctl -u crisisd --since -1h")
        return lines.joined(separator: "\n")
    }
}
