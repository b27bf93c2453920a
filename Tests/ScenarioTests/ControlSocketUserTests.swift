import Foundation
import Testing

/// The control socket is the operator's: the journal names the operator's account, which the
/// kernel gives for the connection (SO_PEERCRED), not only "crisisctl".
@Suite struct ControlSocketUserTests {
    @Test func anAcknowledgementThroughCrisisctlIsJournaledWithTheOperatorsUser() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(
            config: Scenario.config(webhookURL: receiver.url), now: Date(timeIntervalSince1970: 1_800_000_000))
        let reply = try await app.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00"}"#
        ).reply()
        let reference = try #require(reply.json["reference"] as? String)
        #expect(try await app.ctl(["ack", reference, "--by", "anna"]).status == 0)

        let journal = try await app.ctl(["journal", "--crisis", reference, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? []
        let acknowledged = entries.first { $0["kind"] as? String == "crisis.acknowledged" }
        #expect(acknowledged?["actor"] as? String == "crisisctl:\(NSUserName())", "\(String(describing: acknowledged))")
        await app.stop()
    }
}
