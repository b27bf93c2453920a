import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// SMS replies through a generic gateway, in-process on a manual clock: the gateway POSTs the
/// sender and the text with the channel's shared secret, and crisisd answers in plain text that
/// the gateway may send back as the SMS. Pages go to a real HTTP server standing in for the
/// gateway.
@Suite struct GenericSMSReplyTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z, 09:00 in Copenhagen
    static let secret = "in-secret-4f9c2e81d7a6"
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let twilioToken = "sms-token-9a8b7c"

    /// `inbound` are the gateway channel's reply keys.
    static func config(_ url: String, inbound: String) -> String {
        """
        [[channels]]
        id = "gw"
        type = "sms"
        flavour = "generic"
        url = "\(url)/send"
        body = "to={{to}}&text={{text}}"
        \(inbound)

        [[channels]]
        id = "quiet"
        type = "sms"
        flavour = "generic"
        url = "\(url)/send"
        body = "to={{to}}&text={{text}}"

        [[channels]]
        id = "tw"
        type = "sms"
        flavour = "twilio"
        url = "\(url)"
        account_sid = "\(sid)"
        auth_token = "\(twilioToken)"
        from = "+4570000000"

        [[channels]]
        id = "screen"
        type = "console"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+45 20 00 00 01"
        contacts = ["gw"]
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

    func start(inbound: String) async throws -> (InProcessDaemon, WebhookReceiver, reference: String) {
        let server = WebhookReceiver()
        try await server.start()
        let app = try await InProcessDaemon(config: Self.config(server.url, inbound: inbound), now: Self.t0)
        let reply = try await app.request("POST", "/v1/crises", json: Self.intake).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            server.stop()
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        _ = await server.waitFor(1)
        return (app, server, reference)
    }

    /// A POST as a gateway sends it: `body` with its content type and the given headers.
    func post(_ url: String, _ body: String, contentType: String, headers: [String: String]) async throws
        -> HeaderedReply
    {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 10
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP answer from \(url)") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return HeaderedReply(status: http.statusCode, headers: fields, body: data)
    }

    func form(_ fields: [String: String]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    func basic(_ password: String) -> String {
        "Basic " + Data("crisisd:\(password)".utf8).base64EncodedString()
    }

    func acknowledgedBy(_ app: InProcessDaemon, _ reference: String) async throws -> String? {
        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return crisis?["acknowledged_by"] as? String
    }

    func actors(_ app: InProcessDaemon, _ reference: String) async throws -> [String] {
        let journal = try await app.ctl(["journal", "--crisis", reference, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? []
        return entries.filter { $0["kind"] as? String == "crisis.acknowledged" }.compactMap { $0["actor"] as? String }
    }

    @Test func aReplyWithTheSecretFromAPagedPersonAcknowledgesAndIsAnsweredInPlainText() async throws {
        let (app, server, reference) = try await start(inbound: "inbound_secret = \"\(Self.secret)\"")
        defer { server.stop() }
        let inbound = "http://127.0.0.1:\(app.port)/v1/inbound/sms/gw"
        func reply(_ from: String, _ text: String, headers: [String: String] = ["X-Crisisd-Secret": Self.secret])
            async throws -> HeaderedReply
        {
            try await post(
                inbound, form(["from": from, "to": "+4570000000", "message": text, "id": "m42"]),
                contentType: "application/x-www-form-urlencoded", headers: headers)
        }

        // A wrong, missing or misplaced secret acknowledges nothing.
        #expect(try await reply("+4520000001", "ACK", headers: ["X-Crisisd-Secret": "in-secret-wrong"]).status == 403)
        #expect(try await reply("+4520000001", "ACK", headers: ["Authorization": "Bearer wrong"]).status == 403)
        #expect(try await reply("+4520000001", "ACK", headers: ["Authorization": basic("wrong")]).status == 403)
        #expect(try await reply("+4520000001", "ACK", headers: [:]).status == 403)
        let inQuery = try await post(
            inbound + "?secret=\(Self.secret)", form(["from": "+4520000001", "message": "ACK"]),
            contentType: "application/x-www-form-urlencoded", headers: [:])
        #expect(inQuery.status == 403, "the secret is never taken from the URL, which gets logged")
        #expect(try await acknowledgedBy(app, reference) == nil)

        // A number not in the config, and words that are not a command, get help and nothing else.
        let stranger = try await reply("+4599999999", "ACK")
        #expect(stranger.status == 200)
        #expect(stranger.header("Content-Type")?.hasPrefix("text/plain") == true, "\(stranger.headers)")
        #expect(stranger.text == "Reply 1 or ACK to acknowledge your latest crisis page.")
        #expect(
            try await reply("+4520000001", "hello").text == "Reply 1 or ACK to acknowledge your latest crisis page.")
        #expect(try await acknowledgedBy(app, reference) == nil)

        // The gateway writes the number without its +, and sends the secret as a bearer token.
        app.clock.advance(by: 120)
        let acked = try await reply("4520000001", " ack ", headers: ["Authorization": "Bearer \(Self.secret)"])
        #expect(acked.status == 200)
        #expect(acked.text == "\(reference) acknowledged. Call back +4520000000")
        #expect(try await acknowledgedBy(app, reference) == "anna")
        #expect(try await actors(app, reference) == ["sms:anna"])

        // Basic auth with the secret as the password, as a gateway sends `https://user:SECRET@host/…`.
        let again = try await reply("+4520000001", "1", headers: ["Authorization": basic(Self.secret)])
        #expect(again.text == "\(reference) was already acknowledged by Anna Holm at 09:02")
        #expect(try await actors(app, reference) == ["sms:anna"])
        for personal in ["Jens", "Ole", "hit on the head"] {
            #expect(!acked.text.contains(personal) && !again.text.contains(personal))
        }
        #expect(!app.log.contains(Self.secret), "the secret is never logged")
        await app.stop()
    }

    @Test func aGatewaySendingJSONWithItsOwnFieldNamesIsRead() async throws {
        let (app, server, reference) = try await start(
            inbound: """
                inbound_secret_sha256 = "\(sha256Hex(Self.secret))"
                inbound_from_field = "msisdn"
                inbound_body_field = "text"
                """)
        defer { server.stop() }
        let inbound = "http://127.0.0.1:\(app.port)/v1/inbound/sms/gw"
        let headers = ["X-Crisisd-Secret": Self.secret]

        // The default names are not this gateway's: the answer says which field is missing.
        let misnamed = try await post(
            inbound, #"{"from":"+4520000001","message":"ACK"}"#, contentType: "application/json", headers: headers)
        #expect(misnamed.status == 400)
        #expect(misnamed.text.contains("\"msisdn\""), "\(misnamed.text)")
        #expect(try await acknowledgedBy(app, reference) == nil)

        // The sender as a JSON number, without its +, as some gateways send it.
        let acked = try await post(
            inbound, #"{"msisdn":4520000001,"receiver":4570000000,"text":"ACK \#(reference)"}"#,
            contentType: "application/json; charset=utf-8", headers: headers)
        #expect(acked.status == 200)
        #expect(acked.text == "\(reference) acknowledged. Call back +4520000000")
        #expect(try await actors(app, reference) == ["sms:anna"])
        await app.stop()
    }

    @Test func onlyAChannelThatTakesRepliesHasTheRouteAndTwilioKeepsItsSignature() async throws {
        let (app, server, reference) = try await start(inbound: "inbound_secret = \"\(Self.secret)\"")
        defer { server.stop() }
        let base = "http://127.0.0.1:\(app.port)/v1/inbound/sms/"
        let body = form(["from": "+4520000001", "message": "ACK", "From": "+4520000001", "Body": "ACK"])
        let headers = ["X-Crisisd-Secret": Self.secret]
        for channel in ["quiet", "screen", "nowhere"] {
            let answer = try await post(
                base + channel, body, contentType: "application/x-www-form-urlencoded", headers: headers)
            #expect(answer.status == 404, "\(channel)")
        }
        // The generic secret does not open the twilio channel, nor a Twilio signature the generic one.
        let fields = ["From": "+4520000001", "Body": "ACK"]
        #expect(
            try await post(
                base + "tw", form(fields), contentType: "application/x-www-form-urlencoded", headers: headers
            ).status == 403)
        let signedForGateway = try twilioSignature(authToken: Self.twilioToken, url: base + "gw", params: fields)
        #expect(
            try await post(
                base + "gw", form(fields), contentType: "application/x-www-form-urlencoded",
                headers: ["X-Twilio-Signature": signedForGateway]
            ).status == 403)
        #expect(try await acknowledgedBy(app, reference) == nil)

        let signed = try twilioSignature(authToken: Self.twilioToken, url: base + "tw", params: fields)
        let twiml = try await post(
            base + "tw", form(fields), contentType: "application/x-www-form-urlencoded",
            headers: ["X-Twilio-Signature": signed])
        #expect(twiml.status == 200)
        #expect(twiml.header("Content-Type")?.hasPrefix("text/xml") == true, "\(twiml.headers)")
        #expect(twiml.text.contains("<Message>\(reference) acknowledged. Call back +4520000000</Message>"))
        #expect(try await actors(app, reference) == ["sms:anna"])
        await app.stop()
    }
}
