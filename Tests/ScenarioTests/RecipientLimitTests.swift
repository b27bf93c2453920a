import Foundation
import Testing

/// A storm of crises never floods one phone: past `recipient_burst`, pages for one person on one
/// channel wait and go together as one message that lists them. In-process on a manual clock,
/// to a real HTTP server.
@Suite struct RecipientLimitTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    static func config(receiver: String) -> String {
        """
        [delivery]
        recipient_burst = 1
        recipient_interval = "10s"

        [[channels]]
        id = "pages"
        type = "webhook"
        url = "\(receiver)"
        secret = "\(TestDaemon.secret)"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        contacts = ["pages"]
        roles = ["chief"]

        [[rotations]]
        id = "chiefs"
        members = ["anna"]
        start = "2026-01-05T08:00"
        shift = "30000d"

        [escalation]
        steps = ["rotation:chiefs"]
        """
    }

    func raise(_ app: InProcessDaemon, site: String) async throws -> String {
        let intake = #"{"category":"accident","site":"\#(site)","callback":"+45 20 00 00 00"}"#
        let reply = try await app.request("POST", "/v1/crises", json: intake).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return reference
    }

    func body(_ delivery: WebhookReceiver.Delivery) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: delivery.body)) as? [String: Any] ?? [:]
    }

    @Test func pagesHeldForOnePersonGoTogetherAsOneMessageListingEachCrisis() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: server.url), now: Self.t0)
        let first = try await raise(app, site: "Depot 1")
        #expect(await server.waitFor(1).count == 1)

        // Three more within the interval: held, not sent one by one.
        var others: [String] = []
        for site in ["Depot 2", "Depot 3", "Depot 4"] { others.append(try await raise(app, site: site)) }
        try await Task.sleep(for: .milliseconds(500))
        #expect(server.deliveries.count == 1, "held while the interval runs")

        app.clock.advance(by: 10)
        let all = await server.waitFor(2)
        try #require(all.count == 2, "\(app.log)")
        #expect(body(all[0])["reference"] as? String == first)
        let combined = body(all[1])
        let listed =
            [combined["reference"] as? String]
            + (combined["also"] as? [[String: Any]] ?? []).map {
                $0["reference"] as? String
            }
        #expect(listed == others, "one message, every held crisis in it: \(combined)")
        #expect(
            (combined["also"] as? [[String: Any]])?.first?["callback"] as? String == "+45 20 00 00 00",
            "each with its call-back number")

        // Each page is delivered, and the log says they went together.
        for reference in others {
            let status = try await app.ctl(["status", reference, "--json"])
            #expect(status.stdout.contains(#""status" : "delivered""#), "\(status.stdout)")
        }
        #expect(app.log.contains("pages combined into one message"), "\(app.log)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.deliveries.count == 2, "nothing sent twice")
        await app.stop()
    }
}
