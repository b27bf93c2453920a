import Foundation
import Testing

/// Push pages through ntfy, in-process on a manual clock, to a real HTTP server standing in for
/// the ntfy server: the exact request (token, topic, priority, buttons), the retry rules, and
/// nothing personal in it.
@Suite struct NtfyTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    static func config(ntfyURL: String) -> String {
        """
        [delivery]
        max_attempts = 3
        backoff_initial = "2s"
        backoff_max = "2s"
        timeout = "3s"

        [[channels]]
        id = "push"
        type = "ntfy"
        url = "\(ntfyURL)"
        token = "tk_crisisdtesttoken"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        ntfy_topic = "anna-pages-7f3a"
        contacts = ["push"]
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

    static let intake = """
        {"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00",
         "requester_name":"Jens Jensen","note":"Ole was hit on the head"}
        """

    func raise(_ app: InProcessDaemon) async throws -> String {
        let reply = try await app.request("POST", "/v1/crises", json: Self.intake).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return reference
    }

    /// Each page's last error, as `crisisctl status --json` shows them.
    func lastErrors(_ app: InProcessDaemon, _ reference: String) async throws -> [String?] {
        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return (crisis?["pages"] as? [[String: Any]])?.map { $0["last_error"] as? String } ?? []
    }

    /// The statuses of a crisis's pages, as `crisisctl status --json` shows them.
    func pageStatuses(_ app: InProcessDaemon, _ reference: String) async throws -> [String] {
        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return (crisis?["pages"] as? [[String: Any]])?.compactMap { $0["status"] as? String } ?? []
    }

    @Test func aCrisisIsPublishedToThePersonsTopicAtTheHighestPriorityWithAnAcknowledgeButton() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let app = try await InProcessDaemon(config: Self.config(ntfyURL: server.url), now: Self.t0)
        let reference = try await raise(app)
        let request = try #require(await server.waitFor(1).first)

        #expect(request.header("Authorization") == "Bearer tk_crisisdtesttoken")
        #expect(request.header("Content-Type") == "application/json")
        let body = request.json
        #expect(body["topic"] as? String == "anna-pages-7f3a")
        #expect(body["priority"] as? Int == 5)
        #expect(body["tags"] as? [String] == ["rotating_light"])
        #expect(body["title"] as? String == "CRISIS \(reference) violence at Depot 4")
        let message = try #require(body["message"] as? String)
        #expect(message.contains("Call back: +45 20 00 00 00"))
        #expect(message.contains("acknowledge by 09:05"), "\(message)")
        let ackURL = try #require(body["click"] as? String)
        #expect(ackURL.hasPrefix("http://127.0.0.1:\(app.port)/a/"), "the person's acknowledgement link")
        #expect(body["click"] as? String == ackURL)
        let actions = try #require(body["actions"] as? [[String: Any]])
        #expect(actions.map { $0["action"] as? String } == ["view", "view"])
        #expect(actions.map { $0["label"] as? String } == ["Acknowledge", "Call back"])
        #expect(actions.map { $0["url"] as? String } == [ackURL, "tel:+4520000000"])
        // Only the minimal view goes out: no requester name, no note, no affected person.
        let raw = String(decoding: request.body, as: UTF8.self)
        for personal in ["Jens", "Ole", "hit on the head"] { #expect(!raw.contains(personal), "\(raw)") }
        await app.stop()
    }

    @Test func aServerErrorIsRetriedAndARefusalIsNot() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        server.script([500, 200, 400])
        let app = try await InProcessDaemon(config: Self.config(ntfyURL: server.url), now: Self.t0)
        let first = try await raise(app)
        _ = await server.waitFor(1)
        // The failure is on disk, with its retry 2 s on, before time moves.
        #expect(
            try await eventually { try await lastErrors(app, first).first??.hasSuffix("answered HTTP 500") == true })
        app.clock.advance(by: 2.4)  // the 2 s backoff, with its jitter (at most +20 %)
        #expect(await eventually { server.deliveries.count == 2 }, "a 500 is tried again after its backoff")
        #expect(try await eventually { try await pageStatuses(app, first) == ["delivered"] })

        let second = try await raise(app)
        #expect(await eventually { server.deliveries.count == 3 })
        #expect(try await eventually { try await pageStatuses(app, second) == ["failed"] })
        app.clock.advance(by: 10)
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.deliveries.count == 3, "a 400 is never retried")
        await app.stop()
    }
}
