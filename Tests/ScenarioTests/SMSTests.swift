import Foundation
import Testing

/// SMS pages through an HTTP gateway, in-process on a manual clock, to a real HTTP server standing
/// in for Twilio or a generic gateway: the exact request, the retry rules, nothing personal in it
/// and no key in the log.
@Suite struct SMSTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let authToken = "twilio-token-7f3a9c"
    static let gatewayKey = "gw-key-7f3a9c"

    static func twilio(_ url: String) -> String {
        """
        flavour = "twilio"
        url = "\(url)"
        account_sid = "\(sid)"
        auth_token = "\(authToken)"
        from = "+45 70 00 00 00"
        """
    }

    static func generic(_ url: String) -> String {
        """
        flavour = "generic"
        url = "\(url)/v1/messages?ref={{reference}}"
        headers = { Authorization = "Bearer \(gatewayKey)", X-Sender = "{{from}}" }
        body = '{"recipient":"{{to}}","sender":"{{from}}","message":"{{text}}","site":"{{site}}"}'
        content_type = "application/json"
        from = "+4570000000"
        """
    }

    static func config(channel: String) -> String {
        """
        [delivery]
        max_attempts = 3
        backoff_initial = "2s"
        backoff_max = "2s"
        timeout = "3s"

        [[channels]]
        id = "sms"
        type = "sms"
        \(channel)

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+45 20 00 00 01"
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

    static func intake(site: String = "Depot 4") -> String {
        """
        {"category":"violence","site":\(String(decoding: try! JSONEncoder().encode(site), as: UTF8.self)),
         "callback":"+45 20 00 00 00","requester_name":"Jens Jensen","note":"Ole was hit on the head"}
        """
    }

    func raise(_ app: InProcessDaemon, site: String = "Depot 4") async throws -> String {
        let reply = try await app.request("POST", "/v1/crises", json: Self.intake(site: site)).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return reference
    }

    /// The crisis as `crisisctl status --json` shows it, and its pages' statuses.
    func status(_ app: InProcessDaemon, _ reference: String) async throws -> (text: String, pages: [String]) {
        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return (status.stdout, (crisis?["pages"] as? [[String: Any]])?.compactMap { $0["status"] as? String } ?? [])
    }

    /// A form body as a dictionary, decoded as a gateway decodes it.
    func form(_ body: Data) -> [String: String] {
        let pairs = String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// Everything the gateway was sent, as one text: path, query, headers and body.
    func everything(_ request: WebhookReceiver.Delivery) -> String {
        ([request.path, request.query] + request.headers.map { "\($0.key): \($0.value)" }).joined(separator: "\n")
            + String(decoding: request.body, as: UTF8.self)
    }

    /// The SMS text, up to the acknowledgement link (whose form is `PageMessage.ackURL`'s business).
    func expectOneSegmentSMS(_ text: String, reference: String, site: String = "Depot 4", app: InProcessDaemon) {
        let lead = "CRISIS \(reference) violence at \(site). Call back +4520000000. Acknowledge by 09:05: "
        #expect(text.hasPrefix(lead), "\(text)")
        let link = text.dropFirst(lead.count)
        #expect(link.hasPrefix("http://127.0.0.1:\(app.port)/") && !link.contains(" "), "the ack link: \(text)")
        #expect(text.unicodeScalars.allSatisfy(\.isASCII) && text.count <= 160, "one GSM-7 segment: \(text)")
    }

    @Test func twilioIsSentAFormWithTheNumbersAndAShortTextUnderBasicAuth() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        server.script([201])
        let app = try await InProcessDaemon(config: Self.config(channel: Self.twilio(server.url)), now: Self.t0)
        let reference = try await raise(app)
        let request = try #require(await server.waitFor(1).first)

        #expect(request.path == "/pages/2010-04-01/Accounts/\(Self.sid)/Messages.json")
        #expect(
            request.header("Authorization") == "Basic "
                + Data("\(Self.sid):\(Self.authToken)".utf8).base64EncodedString())
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        let fields = form(request.body)
        #expect(Set(fields.keys) == ["To", "From", "Body"])
        #expect(fields["To"] == "+4520000001")
        #expect(fields["From"] == "+4570000000")
        expectOneSegmentSMS(fields["Body"] ?? "", reference: reference, app: app)
        // Only the minimal view goes out: no requester name, no note, no affected person.
        for personal in ["Jens", "Ole", "hit on the head"] {
            #expect(!everything(request).contains(personal), "\(everything(request))")
        }
        #expect(try await eventually { try await status(app, reference).pages == ["delivered"] })
        await app.stop()
    }

    @Test func aGenericGatewayIsSentItsTemplatesRenderedWithJSONEscapedValues() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let app = try await InProcessDaemon(config: Self.config(channel: Self.generic(server.url)), now: Self.t0)
        let site = #"Hall "B""#
        let reference = try await raise(app, site: site)
        let request = try #require(await server.waitFor(1).first)

        #expect(request.path == "/pages/v1/messages")
        #expect(request.query == "ref=\(reference)")
        #expect(request.header("Authorization") == "Bearer \(Self.gatewayKey)")
        #expect(request.header("X-Sender") == "+4570000000")
        #expect(request.header("Content-Type") == "application/json")
        let body = try #require(
            try JSONSerialization.jsonObject(with: request.body) as? [String: String],
            "\(String(decoding: request.body, as: UTF8.self))")
        #expect(Set(body.keys) == ["recipient", "sender", "message", "site"])
        #expect(body["recipient"] == "+4520000001")
        #expect(body["sender"] == "+4570000000")
        #expect(body["site"] == site, "the quotes are escaped for JSON, and nothing else is")
        expectOneSegmentSMS(body["message"] ?? "", reference: reference, site: site, app: app)
        for personal in ["Jens", "Ole", "hit on the head"] {
            #expect(!everything(request).contains(personal), "\(everything(request))")
        }
        await app.stop()
    }

    @Test(arguments: ["twilio", "generic"])
    func aServerErrorIsRetriedAndARefusalIsNotAndNoKeyIsLogged(flavour: String) async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        server.script([500, 201, 400])
        let channel = flavour == "twilio" ? Self.twilio(server.url) : Self.generic(server.url)
        let app = try await InProcessDaemon(config: Self.config(channel: channel), now: Self.t0)
        let first = try await raise(app)
        _ = await server.waitFor(1)
        // The backoff counts from when the failure is recorded: move the clock only after that.
        #expect(await eventually { app.log.contains("page failed; will retry") })
        app.clock.advance(by: 2.4)  // the 2 s backoff, with its jitter (at most +20 %)
        #expect(await eventually { server.deliveries.count == 2 }, "a 500 is tried again after its backoff")
        #expect(try await eventually { try await status(app, first).pages == ["delivered"] })
        let deliveries = server.deliveries
        // The same SMS sent once more, with a fresh acknowledgement link (each attempt gets its own).
        let withoutLinks = deliveries.map {
            String(decoding: $0.body, as: UTF8.self).replacing(/(%2Fa%2F|\/a\/)[A-Za-z0-9_-]{43}/, with: "/a/TOKEN")
        }
        #expect(deliveries.count == 2 && withoutLinks[0] == withoutLinks[1], "\(withoutLinks)")
        #expect(deliveries[0].body != deliveries[1].body, "each attempt carries a link of its own")

        let second = try await raise(app)
        #expect(await eventually { server.deliveries.count == 3 })
        #expect(try await eventually { try await status(app, second).pages == ["failed"] })
        app.clock.advance(by: 10)
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.deliveries.count == 3, "a 400 is never retried")

        let shown = try await status(app, second).text + app.log
        #expect(shown.contains("answered HTTP 400"), "the failure is told: \(shown)")
        for secret in [Self.authToken, Self.gatewayKey, "20000001"] {
            #expect(!shown.contains(secret), "\(secret) in the status or the log")
        }
        await app.stop()
    }
}
