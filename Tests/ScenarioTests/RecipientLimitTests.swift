import CrisisCore
import Foundation
import Testing

/// A storm of crises never floods one phone: past `recipient_burst`, pages for one person on one
/// channel wait and go together as one message that lists them. In-process on a manual clock,
/// to a real HTTP server standing in for Twilio's Messages API.
@Suite struct RecipientLimitTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    static func config(receiver: String) -> String {
        """
        [delivery]
        recipient_burst = 1
        recipient_interval = "10s"

        [[channels]]
        id = "sms"
        type = "sms"
        flavour = "twilio"
        url = "\(receiver)"
        account_sid = "AC0123456789abcdef0123456789abcdef"
        auth_token = "twilio-token-7f3a9c"
        from = "+4570000000"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        contacts = ["sms"]
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

    /// The text of an SMS sent through Twilio's Messages API.
    func text(_ delivery: WebhookReceiver.Delivery) -> String {
        let body = String(decoding: delivery.body, as: UTF8.self)
        let field = body.split(separator: "&").first { $0.hasPrefix("Body=") }?.dropFirst("Body=".count) ?? ""
        return field.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
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
        #expect(text(all[0]).hasPrefix("CRISIS \(first) accident at Depot 1."), "\(text(all[0]))")
        // One message, every held crisis in it: the first in full, the others by reference.
        let combined = text(all[1])
        #expect(
            combined.hasPrefix("CRISIS \(others[0]) accident at Depot 2. +2 more: \(others[1]) \(others[2])."),
            "\(combined)")
        #expect(SMSLength(combined).segments <= 2, "\(combined)")

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
