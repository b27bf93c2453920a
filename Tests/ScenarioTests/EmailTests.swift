import CrisisCore
import CrisisNotify
import Foundation
import Testing

/// E-mail pages through a real SMTP server (aiosmtpd), in-process on a manual clock: the message
/// as Python's `email` package reads it, nothing personal in it, and which failures are retried.
@Suite(
    .enabled(
        if: integrationRequired || SMTPServer.available,
        "needs /usr/bin/python3 with aiosmtpd (scripts/setup --tests); CI sets CRISISD_INTEGRATION and never skips"))
struct EmailTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    static let password = "smtp-pw-7f3a9c"
    static let username = "crisisd-mailer"

    /// - Parameter starttls: with a login, what the file says; the test server offers no TLS.
    static func config(smtpURL: String, login: Bool = false, starttls: String = "false") -> String {
        """
        [delivery]
        max_attempts = 3
        backoff_initial = "2s"
        backoff_max = "2s"
        timeout = "3s"

        [[channels]]
        id = "mail"
        type = "email"
        url = "\(smtpURL)"
        from = "crisisd@example.org"
        \(login ? "username = \"\(username)\"\npassword = \"\(password)\"\nstarttls = \(starttls)" : "")

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        email = "anna.holm@example.org"
        contacts = ["mail"]
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
        let intake = """
            {"category":"violence","site":"\(site)","callback":"+45 20 00 00 00",
             "requester_name":"Jens Jensen","note":"Ole was hit on the head"}
            """
        let reply = try await app.request("POST", "/v1/crises", json: intake).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return reference
    }

    /// A crisis's pages as `crisisctl status --json` shows them.
    func pages(_ app: InProcessDaemon, _ reference: String) async throws -> [[String: Any]] {
        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return crisis?["pages"] as? [[String: Any]] ?? []
    }

    /// A message as Python's `email` package reads it (the modern policy, which notes every defect).
    func parse(_ raw: Data) throws -> [String: Any] {
        let file = NSTemporaryDirectory() + "crisisd-mail-\(UUID().uuidString.prefix(8)).eml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try raw.write(to: URL(fileURLWithPath: file))
        let parsed = try runCommand(
            SMTPServer.python,
            [
                "-c",
                """
                import email, email.policy, email.utils, json, sys
                message = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
                date = email.utils.parsedate_to_datetime(str(message["Date"]))
                defects = [str(d) for d in message.defects]
                for name, value in message.items():
                    defects += ["%s: %s" % (name, d) for d in value.defects]
                print(json.dumps({
                    "to": str(message["To"]), "from": str(message["From"]), "subject": str(message["Subject"]),
                    "date": date.timestamp() if date.tzinfo else None, "message_id": str(message["Message-ID"]),
                    "content_type": message.get_content_type(), "charset": message.get_content_charset(),
                    "auto_submitted": str(message["Auto-Submitted"]), "body": message.get_content(),
                    "defects": defects}))
                """,
                file,
            ])
        guard parsed.status == 0 else { throw TestFailure("python email: \(parsed.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func aCrisisIsMailedToThePersonsAddressAsAWellFormedMessageWithNothingPersonal() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        try await server.start()
        let app = try await InProcessDaemon(config: Self.config(smtpURL: server.url), now: Self.t0)
        // One site in ASCII, one not: a plain message and an encoded one.
        let sites = ["Depot 4", "Lager Århus"]
        var references: [String] = []
        for site in sites {
            references.append(try await raise(app, site: site))
            _ = await server.waitFor(references.count)
        }
        let received = server.received
        try #require(received.count == 2, "\(app.log)")

        for (index, mail) in received.enumerated() {
            let reference = references[index]
            #expect(mail.mailFrom == "crisisd@example.org")
            #expect(mail.recipients == ["anna.holm@example.org"])
            let message = try parse(mail.raw)
            #expect(message["defects"] as? [String] == [], "\(message)")
            #expect(message["to"] as? String == "anna.holm@example.org")
            #expect(message["from"] as? String == "crisisd@example.org")
            #expect(message["subject"] as? String == "CRISIS \(reference) violence at \(sites[index])")
            // Dated when it was sent, not on the app's (manual) clock.
            let date = try #require(message["date"] as? Double, "\(message)")
            #expect(abs(date - Date().timeIntervalSince1970) < 300, "\(message)")
            let messageID = try #require(message["message_id"] as? String)
            #expect(messageID.wholeMatch(of: /<[A-Z0-9-]+-page-\d+\.1@crisisd>/) != nil, "\(messageID)")
            #expect(messageID.contains(reference))
            #expect(message["content_type"] as? String == "text/plain")
            #expect(message["charset"] as? String == "utf-8")
            #expect(message["auto_submitted"] as? String == "auto-generated")
            let body = try #require(message["body"] as? String)
            #expect(body.contains("Call back: +45 20 00 00 00"), "\(body)")
            // The person's own acknowledgement link, then the command for the server.
            #expect(body.contains("Acknowledge: http://127.0.0.1:\(app.port)/a/"), "\(body)")
            #expect(body.contains("or  crisisctl ack \(reference)"), "\(body)")
            // Only the minimal view goes out: no requester name, no note, no affected person.
            let raw = String(decoding: mail.raw, as: UTF8.self)
            for personal in ["Jens", "Ole", "hit on the head", "Anna Holm"] {
                #expect(!raw.contains(personal) && !body.contains(personal), "\(raw)")
            }
        }
        #expect(try await pages(app, references[0]).map { $0["status"] as? String } == ["delivered"])
        await app.stop()
    }

    @Test func aLoginIsNeverSentInTheClearToAServerWithoutTLSUnlessTheConfigSaysSo() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        try await server.start()
        // A login and no starttls key: STARTTLS is required, and this server offers none.
        let config = Self.config(smtpURL: server.url, login: true).replacingOccurrences(
            of: "starttls = false\n", with: "")
        let app = try await InProcessDaemon(config: config, now: Self.t0)
        let reference = try await raise(app, site: "Depot 4")
        #expect(
            try await eventually { try await pages(app, reference).first?["status"] as? String == "failed" },
            "refused at once, not retried: the setup, not the network, is at fault")
        let reason = try #require(try await pages(app, reference).first?["last_error"] as? String)
        #expect(reason.lowercased().contains("ssl") || reason.lowercased().contains("tls"), "\(reason)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.received.isEmpty, "nothing was sent, the password least of all")
        await app.stop()
    }

    @Test func aClosedPortFailsRetryablyAndTheReasonNamesTheHostButNoSecret() async throws {
        let port = freePort()
        let app = try await InProcessDaemon(
            config: Self.config(smtpURL: "smtp://127.0.0.1:\(port)", login: true), now: Self.t0)
        let reference = try await raise(app, site: "Depot 4")
        let failedOnce = try await eventually {
            let page = try await pages(app, reference).first
            return page?["attempts"] as? Int == 1 && page?["last_error"] != nil
        }
        let failed = try #require(try await pages(app, reference).first)
        #expect(failedOnce, "\(failed)")
        #expect(failed["status"] as? String == "pending", "waits for a retry: \(failed)")
        let reason = try #require(failed["last_error"] as? String, "\(failed)")
        #expect(reason.contains("127.0.0.1:\(port)"), "\(reason)")
        for secret in [Self.password, Self.username, "anna.holm@example.org"] {
            #expect(!reason.contains(secret), "\(reason)")
            #expect(!app.log.contains(secret), "the log names no secret")
        }

        // The server comes up before the retry: the page goes out on its second attempt.
        let server = try SMTPServer(port: port)
        defer { server.stop() }
        try await server.start()
        app.clock.advance(by: 2.4)  // the 2 s backoff, with its jitter (at most +20 %)
        #expect(await server.waitFor(1).count == 1, "retried after its backoff")
        #expect(try await eventually { try await pages(app, reference).first?["status"] as? String == "delivered" })
        #expect(try await pages(app, reference).first?["attempts"] as? Int == 2)
        await app.stop()
    }

    /// What the server answers decides: 4xx is worth another try, 5xx is final.
    @Test(arguments: [
        ("later", true, "451"), ("nobody", false, "550"), ("full", true, "452"), ("refused", false, "554"),
    ])
    func theServersReplyDecidesWhetherAPageIsRetried(local: String, retryable: Bool, code: String) async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        try await server.start()
        let address = "\(local)@example.org"
        let notifier = EmailNotifier(
            url: server.url, from: "crisisd@example.org", username: nil, password: nil, requireTLS: false,
            addresses: ["anna": address], timeZone: TimeZone(identifier: "UTC")!, timeout: 5)
        let page = PageMessage(
            id: "CR-7K4P-page-1", reference: CrisisReference(parsing: "CR-7K4P")!, category: .violence, site: "Depot",
            callback: "+4512345678", drill: false, receivedAt: Self.t0, clocks: [], recipient: "anna", step: 1,
            publicURL: "https://crisisd.example")
        let outcome = await notifier.deliver(page)
        guard case .failed(let wasRetryable, let reason, _) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(wasRetryable == retryable, "\(reason)")
        #expect(reason.contains("127.0.0.1:\(server.port)") && reason.contains("SMTP \(code)"), "\(reason)")
        #expect(!reason.contains(local), "the reason names no address: \(reason)")
        #expect(server.received.isEmpty)
    }

    /// libcurl dot-stuffs the message itself: a line of ".", ".." or ".x" arrives as it was sent,
    /// neither cut short nor doubled.
    @Test func linesStartingWithADotArriveIntact() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        try await server.start()
        let message = Array("Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nlast line\r\n".utf8)
        let result = await CurlSMTPClient.send(
            SMTPCall(
                url: server.url, from: "crisisd@example.org", recipients: ["anna@example.org"], message: message,
                timeout: 5))
        #expect(try result.get() == 250)
        let received = try #require(await server.waitFor(1).first)
        #expect(Array(received.raw) == message, "\(String(decoding: received.raw, as: UTF8.self))")
    }
}
