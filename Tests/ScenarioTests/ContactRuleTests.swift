import Foundation
import Testing

/// A person's contact rules: each channel after its delay, until someone acknowledges. In-process
/// on a manual clock, with a real HTTP server standing in for the ntfy server and the SMS gateway.
@Suite struct ContactRuleTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    /// anna: push at once, "sms" (a webhook standing in for the gateway) 2 s later.
    static func config(receiver: String) -> String {
        """
        [delivery]
        max_attempts = 3
        backoff_initial = "1s"
        backoff_max = "1s"

        [[channels]]
        id = "push"
        type = "ntfy"
        url = "\(receiver)"

        [[channels]]
        id = "sms"
        type = "webhook"
        url = "\(receiver)"
        secret = "\(TestDaemon.secret)"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        ntfy_topic = "anna-pages"
        contacts = [{ channel = "push", after = "0s" }, { channel = "sms", after = "2s" }]
        roles = ["chief"]

        [[rotations]]
        id = "chiefs"
        members = ["anna"]
        start = "2026-01-05T08:00"
        shift = "30000d"

        [escalation]
        steps = [{ notify = ["rotation:chiefs"], wait = "5m" }]
        """
    }

    func raise(_ app: InProcessDaemon) async throws -> String {
        let reply = try await app.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00"}"#
        ).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return reference
    }

    /// Which channel each request came through: ntfy's JSON names a topic, the webhook's does not.
    func channels(_ receiver: WebhookReceiver) -> [String] {
        receiver.deliveries.map { $0.json["topic"] == nil ? "sms" : "push" }
    }

    func settle() async throws { try await Task.sleep(for: .milliseconds(300)) }

    @Test func pushGoesAtOnceAndSMSOnlyAfterItsDelay() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver.url), now: Self.t0)
        _ = try await raise(app)
        #expect(await eventually { channels(receiver) == ["push"] })
        app.clock.advance(by: 1.9)
        try await settle()
        #expect(channels(receiver) == ["push"], "no SMS before its 2 s")
        app.clock.advance(by: 0.1)
        #expect(await eventually { channels(receiver) == ["push", "sms"] })
        await app.stop()
    }

    @Test func anAcknowledgementBeforeTheDelayMeansTheSMSIsNeverSent() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver.url), now: Self.t0)
        let reference = try await raise(app)
        #expect(await eventually { channels(receiver) == ["push"] })
        app.clock.advance(by: 1)
        let ack = try await app.ctl(["ack", reference, "--by", "anna"])
        #expect(ack.status == 0, "\(ack.stderr)")
        app.clock.advance(by: 60)
        try await settle()
        #expect(channels(receiver) == ["push"], "the SMS waiting for its delay was dropped")
        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let pages = (crisis?["pages"] as? [[String: Any]]) ?? []
        #expect(pages.map { $0["channel"] as? String } == ["push", "sms"])
        #expect(pages.map { $0["status"] as? String } == ["delivered", "cancelled"])
        await app.stop()
    }
}
