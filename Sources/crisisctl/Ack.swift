import ArgumentParser
import CrisisCore
import Foundation

struct Ack: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Acknowledge a crisis: you have it, paging stops.")

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
