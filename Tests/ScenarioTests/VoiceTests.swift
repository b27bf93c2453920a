import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Acknowledgement from the phone through Twilio, in-process on a manual clock: a voice page's
/// Calls API request to a real HTTP server standing in for Twilio, the TwiML Twilio fetches when
/// the call is answered, the key press that acknowledges, and SMS replies. Twilio's signatures
/// are computed with Twilio's own Python library.
@Suite struct VoiceTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z, 09:00 in Copenhagen
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let voiceToken = "voice-token-5e1d2b"
    static let smsToken = "sms-token-9a8b7c"

    static func config(_ url: String) -> String {
        """
        [[channels]]
        id = "call"
        type = "voice"
        url = "\(url)"
        account_sid = "\(sid)"
        auth_token = "\(voiceToken)"
        from = "+45 70 00 00 00"

        [[channels]]
        id = "sms"
        type = "sms"
        flavour = "twilio"
        url = "\(url)"
        account_sid = "\(sid)"
        auth_token = "\(smsToken)"
        from = "+4570000000"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+45 20 00 00 01"
        contacts = ["call"]
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
        {"category":"violence","site":"Depot 4 <Hall B>","callback":"+45 20 00 00 00",
         "requester_name":"Jens Jensen","note":"Ole was hit on the head"}
        """

    func start(_ server: WebhookReceiver) async throws -> (InProcessDaemon, reference: String) {
        let app = try await InProcessDaemon(config: Self.config(server.url), now: Self.t0)
        let reply = try await app.request("POST", "/v1/crises", json: Self.intake).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return (app, reference)
    }

    /// A POST as Twilio sends it: a form, signed with `authToken` over `url` and the form.
    func twilioPost(_ url: String, _ params: [String: String], authToken: String?) async throws -> HeaderedReply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        if let authToken {
            let signature = try twilioSignature(authToken: authToken, url: url, params: params)
            request.setValue(signature, forHTTPHeaderField: "X-Twilio-Signature")
        }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        request.httpBody = Data(
            params.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&").utf8)
        request.timeoutInterval = 10
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (body, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP answer from \(url)") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        return HeaderedReply(status: http.statusCode, headers: headers, body: body)
    }

    func status(_ app: InProcessDaemon, _ reference: String) async throws -> [String: Any] {
        let status = try await app.ctl(["status", reference, "--json"])
        return try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any] ?? [:]
    }

    func actors(_ app: InProcessDaemon, _ reference: String) async throws -> [String] {
        let journal = try await app.ctl(["journal", "--crisis", reference, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? []
        return entries.filter { $0["kind"] as? String == "crisis.acknowledged" }.compactMap { $0["actor"] as? String }
    }

    func form(_ body: Data) -> [String: String] {
        let pairs = String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// The text of every element at `path` in a TwiML answer, parsed as XML.
    func texts(_ xml: String, _ path: String) throws -> [String] {
        try XMLDocument(xmlString: xml).nodes(forXPath: path).compactMap(\.stringValue)
    }

    static let answered = ["CallSid": "CA42", "AccountSid": sid, "From": "+4570000000", "To": "+4520000001"]

    @Test func aVoicePageCallsTheSpelledReferenceAndKeyOneAcknowledges() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let (app, reference) = try await start(server)
        let request = try #require(await server.waitFor(1).first)

        #expect(request.path == "/pages/2010-04-01/Accounts/\(Self.sid)/Calls.json")
        #expect(
            request.header("Authorization") == "Basic "
                + Data("\(Self.sid):\(Self.voiceToken)".utf8).base64EncodedString())
        let fields = form(request.body)
        #expect(Set(fields.keys) == ["To", "From", "Url", "Method"])
        #expect(fields["To"] == "+4520000001")
        #expect(fields["From"] == "+4570000000")
        #expect(fields["Method"] == "POST")
        let url = try #require(fields["Url"])
        #expect(url.wholeMatch(of: /http:\/\/127\.0\.0\.1:\d+\/v1\/voice\/[A-Za-z0-9_-]{43}/) != nil, "\(url)")
        #expect(url.hasPrefix("http://127.0.0.1:\(app.port)/"))

        // Answered: Twilio fetches the words, signed.
        let twiml = try await twilioPost(url, Self.answered, authToken: Self.voiceToken)
        #expect(twiml.status == 200)
        #expect(twiml.header("Content-Type")?.hasPrefix("text/xml") == true, "\(twiml.headers)")
        let spelled = reference.filter { $0 != "-" }.map(String.init).joined(separator: " ")
        let said = try texts(twiml.text, "/Response/Gather/Say").joined()
        #expect(
            said == "Crisis page. Reference \(spelled). violence at Depot 4 <Hall B>. "
                + "Call back 4 5 2 0 0 0 0 0 0 0. Press 1 to acknowledge.", "\(twiml.text)")
        let action = try #require(try texts(twiml.text, "/Response/Gather/@action").first)
        #expect(action == url + "/ack")
        #expect(try texts(twiml.text, "/Response/Gather/@numDigits") == ["1"])
        #expect(try texts(twiml.text, "/Response/Say") == ["No key pressed. Goodbye."])
        for personal in ["Jens", "Ole", "hit on the head", "Anna"] { #expect(!twiml.text.contains(personal)) }

        // A forged or missing signature acknowledges nothing; neither does another key.
        let press = Self.answered.merging(["Digits": "1"]) { _, new in new }
        #expect(try await twilioPost(action, press, authToken: "not-the-token").status == 403)
        #expect(try await twilioPost(action, press, authToken: nil).status == 403)
        #expect(try await twilioPost(url, Self.answered, authToken: Self.smsToken).status == 403)
        let two = try await twilioPost(
            action, press.merging(["Digits": "2"]) { _, new in new }, authToken: Self.voiceToken)
        #expect(try texts(two.text, "/Response/Say") == ["Not acknowledged. Goodbye."])
        #expect(try await status(app, reference)["acknowledged_by"] == nil)

        let acked = try await twilioPost(action, press, authToken: Self.voiceToken)
        #expect(acked.status == 200)
        #expect(try texts(acked.text, "/Response/Say") == ["Acknowledged. Thank you."])
        #expect(try await status(app, reference)["acknowledged_by"] as? String == "anna")
        #expect(try await actors(app, reference) == ["voice:anna"])

        // A token that opens nothing is told so, in words Twilio plays.
        let unknown = "http://127.0.0.1:\(app.port)/v1/voice/" + String(repeating: "A", count: 43)
        let gone = try await twilioPost(unknown, Self.answered, authToken: Self.voiceToken)
        #expect(gone.status == 200)
        #expect(try texts(gone.text, "/Response/Say") == ["This crisis page is no longer valid. Goodbye."])
        await app.stop()
    }

    @Test func anSMSReplyFromAPagedPersonAcknowledgesTheirLatestCrisis() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let (app, reference) = try await start(server)
        _ = await server.waitFor(1)
        let inbound = "http://127.0.0.1:\(app.port)/v1/inbound/sms/sms"
        func reply(_ from: String, _ body: String, authToken: String? = VoiceTests.smsToken) async throws
            -> HeaderedReply
        {
            try await twilioPost(
                inbound, ["From": from, "To": "+4570000000", "Body": body, "MessageSid": "SM42"], authToken: authToken)
        }
        func message(_ reply: HeaderedReply) throws -> String { try texts(reply.text, "/Response/Message").joined() }

        #expect(try await reply("+4520000001", "ack", authToken: "not-the-token").status == 403)
        #expect(try await reply("+4520000001", "ack", authToken: Self.voiceToken).status == 403)
        let stranger = try await reply("+4599999999", "ACK")
        #expect(stranger.status == 200)
        #expect(try message(stranger) == "Reply 1 or ACK to acknowledge your latest crisis page.")
        #expect(!stranger.text.contains(reference))
        #expect(try message(try await reply("+4520000001", "hello")).hasPrefix("Reply 1 or ACK"))
        #expect(try await status(app, reference)["acknowledged_by"] == nil)

        app.clock.advance(by: 120)
        let acked = try await reply("+45 20 00 00 01", " ack ")
        #expect(try message(acked) == "\(reference) acknowledged. Call back +4520000000")
        #expect(try await status(app, reference)["acknowledged_by"] as? String == "anna")
        #expect(try await actors(app, reference) == ["sms:anna"])

        let again = try await reply("+4520000001", "1")
        #expect(try message(again) == "\(reference) was already acknowledged by Anna Holm at 09:02")
        #expect(try await actors(app, reference) == ["sms:anna"])
        for personal in ["Jens", "Ole", "hit on the head"] {
            #expect(!acked.text.contains(personal) && !again.text.contains(personal))
        }
        await app.stop()
    }

    @Test func aReplyAcknowledgesTheLatestCrisisOrTheOneItNames() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let (app, first) = try await start(server)
        app.clock.advance(by: 60)
        let later = try await app.request("POST", "/v1/crises", json: Self.intake).reply()
        let second = try #require(later.json["reference"] as? String)
        _ = await server.waitFor(2)
        let inbound = "http://127.0.0.1:\(app.port)/v1/inbound/sms/sms"
        func reply(_ body: String) async throws -> String {
            let answer = try await twilioPost(
                inbound, ["From": "+4520000001", "Body": body], authToken: Self.smsToken)
            return try texts(answer.text, "/Response/Message").joined()
        }

        #expect(try await reply("Ack") == "\(second) acknowledged. Call back +4520000000")
        #expect(try await status(app, first)["acknowledged_by"] == nil, "only the latest")
        let unpaged = try #require(["CR-2222", "CR-3333", "CR-4444"].first { $0 != first && $0 != second })
        #expect(try await reply("ack \(unpaged)") == "No open crisis page of yours to acknowledge.")
        #expect(try await reply("ACK \(first.lowercased())") == "\(first) acknowledged. Call back +4520000000")
        #expect(try await actors(app, first) == ["sms:anna"])
        await app.stop()
    }

    @Test func aRefusedCallIsNotRetriedAndNoTokenOrNumberIsShown() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        server.script([401])
        let (app, reference) = try await start(server)
        _ = await server.waitFor(1)
        #expect(
            await eventually {
                (try? await app.ctl(["status", reference, "--json"]).stdout.contains("\"failed\"")) == true
            })
        app.clock.advance(by: 10)
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.deliveries.count == 1, "a 401 is never retried")
        let shown = try await app.ctl(["status", reference, "--json"]).stdout + app.log
        #expect(shown.contains("answered HTTP 401"), "the failure is told: \(shown)")
        for secret in [Self.voiceToken, "20000001"] { #expect(!shown.contains(secret), "\(secret) shown") }
        await app.stop()
    }
}
