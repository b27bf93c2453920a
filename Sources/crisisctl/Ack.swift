import ArgumentParser
import CrisisCore
import Foundation

struct Ack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Acknowledge a crisis: you have it, paging stops.",
        discussion: """
            Stops the pages still pending for the crisis and its escalation, and meets its acknowledge \
            clock. The contact and on-site clocks keep running until their milestones are recorded \
            (crisisctl record). Without --by, the acknowledgement is journaled as crisisctl:USER, your \
            account on the server. A second acknowledgement says who has the crisis and since when.

            Example:
              crisisctl ack CR-7K4P --by anna
            """)

    @OptionGroup var options: ConfigOption

    @Argument(help: "The crisis reference, e.g. CR-7K4P.")
    var reference: String

    @Option(help: "Who acknowledges: a person id from the config.")
    var by: String?

    @Flag(help: "Print the answer as JSON.")
    var json = false

    func run() throws {
        let config = try options.load()
        let reference = try parseReference(reference)
        let client = ControlClient(socket: config.controlSocket)
        let receipt: AckReceipt
        do {
            receipt = try client.post("/v1/crises/\(reference)/ack", body: AckRequest(by: by), as: AckReceipt.self)
        } catch {
            throw fail(error, socket: config.controlSocket)
        }
        if json {
            printJSON(receipt)
            return
        }
        let format = Formatting(timeZone: config.timeZone, now: Date())
        if receipt.alreadyAcknowledged {
            print(
                "\(reference) was already acknowledged by \(receipt.acknowledgedBy) at \(format.time(receipt.acknowledgedAt))."
            )
        } else {
            print(
                "Acknowledged \(reference) as \(receipt.acknowledgedBy) at \(format.time(receipt.acknowledgedAt)); \(receipt.cancelledPages) pending page(s) stopped."
            )
        }
    }
}
