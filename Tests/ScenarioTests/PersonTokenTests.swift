import CrisisNotify
import Foundation
import Testing

/// A psychologist's own API token (`[[people]] token_sha256`, for an app or a script): it reads,
/// acknowledges and records milestones on the crises its person was paged for, as that person;
/// another crisis is answered as an unknown one, and raising crises is not its business.
@Suite struct PersonTokenTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let annaToken = "anna-personal-api-token-for-her-phone-app"
    static let carlToken = "carl-personal-api-token-not-on-any-rota"

    static func config(receiver: String) -> String {
        """
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
        roles = ["chief", "crisis"]
        token_sha256 = "\(sha256Hex(annaToken))"

        [[people]]
        id = "carl"
        name = "Carl Lund"
        phone = "+4520000003"
        contacts = ["pages"]
        roles = ["chief"]
        token_sha256 = "\(sha256Hex(carlToken))"

        [[rotations]]
        id = "chiefs"
        members = ["anna"]
        start = "2026-01-05T08:00"
        shift = "30000d"

        [escalation]
        steps = ["rotation:chiefs"]
        """
    }

    func call(_ app: InProcessDaemon, _ method: String, _ path: String, token: String, json: String? = nil)
        async throws -> HTTPReply
    {
        var headers = [("Authorization", "Bearer \(token)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await CurlHTTPClient.send(
            HTTPCall(
                method: method, url: "http://127.0.0.1:\(app.port)\(path)", headers: headers,
                body: json.map { Array($0.utf8) }, timeout: 10)
        ).get()
    }

    @Test func aPersonsTokenActsOnTheCrisesTheyWerePagedForAsThemAndNoOthers() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver.url), now: Self.t0)
        let raised = try await app.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot","callback":"+45 20 00 00 00"}"#
        ).reply()
        let reference = try #require(raised.json["reference"] as? String)
        _ = await receiver.waitFor(1)

        // Carl was not paged: the crisis is unknown to his token, for reading and for acting.
        #expect(try await call(app, "GET", "/v1/crises/\(reference)", token: Self.carlToken).status == 404)
        #expect(
            try await call(app, "POST", "/v1/crises/\(reference)/ack", token: Self.carlToken, json: "{}").status == 404)

        // Anna was: she reads it, acknowledges as herself (not as someone else), records a milestone.
        #expect(try await call(app, "GET", "/v1/crises/\(reference)", token: Self.annaToken).status == 200)
        let asBo = try await call(
            app, "POST", "/v1/crises/\(reference)/ack", token: Self.annaToken, json: #"{"by":"bo"}"#)
        #expect(asBo.status == 403)
        let ack = try await call(app, "POST", "/v1/crises/\(reference)/ack", token: Self.annaToken, json: "{}")
        #expect(ack.status == 200, "\(ack.text)")
        let contacted = try await call(
            app, "POST", "/v1/crises/\(reference)/milestones", token: Self.annaToken,
            json: #"{"milestone":"contacted"}"#)
        #expect(contacted.status == 200, "\(contacted.text)")

        let journal = try await app.ctl(["journal", "--crisis", reference, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? []
        let acked = entries.first { $0["kind"] as? String == "crisis.acknowledged" }
        #expect(acked?["actor"] as? String == "person:anna")
        #expect((acked?["data"] as? [String: String])?["by"] == "anna")
        let milestone = entries.first { $0["kind"] as? String == "milestone.recorded" }
        #expect(milestone?["actor"] as? String == "person:anna")
        #expect((milestone?["data"] as? [String: String])?["by"] == "anna")

        // Raising crises and the provider's lists are not a person token's business.
        let raise = try await call(
            app, "POST", "/v1/crises", token: Self.annaToken,
            json: #"{"category":"violence","site":"Depot","callback":"+45 20 00 00 00"}"#)
        #expect(raise.status == 403)
        #expect(try await call(app, "GET", "/v1/crises", token: Self.annaToken).status == 403)
        await app.stop()
    }
}
