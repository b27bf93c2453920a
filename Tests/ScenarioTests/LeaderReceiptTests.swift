import Foundation
import Testing

/// The leader hears back: with `notify` on its `[[requesters]]` entry, the call-back number gets a
/// receipt at once and, after the acknowledgement, who has the case. In-process on a manual clock,
/// to real HTTP (Twilio's Messages API) and SMTP servers on 127.0.0.1.
@Suite struct LeaderReceiptTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z, 09:00 in Copenhagen
    static let token = "leader-token-of-the-glostrup-requester"

    static func config(smsURL: String, smtpURL: String = "smtp://127.0.0.1:9", notify: String) -> String {
        """
        [[requesters]]
        id = "glostrup"
        token_sha256 = "\(sha256Hex(token))"
        \(notify)

        [[channels]]
        id = "sms"
        type = "sms"
        flavour = "twilio"
        url = "\(smsURL)"
        account_sid = "AC0123456789abcdef0123456789abcdef"
        auth_token = "twilio-token-7f3a9c"
        from = "+4570000000"

        [[channels]]
        id = "mail"
        type = "email"
        url = "\(smtpURL)"
        from = "crisisd@example.org"

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

    func raise(_ app: InProcessDaemon, callback: String = "+45 30 00 00 00", drill: Bool = false) async throws
        -> String
    {
        let intake = """
            {"category":"violence","site":"Depot 4","callback":"\(callback)","drill":\(drill),
             "requester_name":"Jens Jensen","note":"Ole was hit on the head"}
            """
        let reply = try await app.request("POST", "/v1/crises", json: intake, token: Self.token).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return reference
    }

    /// The form fields of a request to Twilio's Messages API.
    func form(_ request: WebhookReceiver.Delivery) -> [String: String] {
        let pairs = String(decoding: request.body, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// The texts sent to `number` so far, in order.
    func texts(to number: String, _ server: WebhookReceiver) async -> [String] {
        server.deliveries.map(form).filter { $0["To"] == number }.compactMap { $0["Body"] }
    }

    @Test func theLeadersNumberIsToldTheCrisisIsReceivedAndThenWhoHasIt() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let app = try await InProcessDaemon(
            config: Self.config(smsURL: server.url, notify: #"notify = "sms""#), now: Self.t0)
        let reference = try await raise(app)

        // The page to Anna, and the receipt to the call-back number: the contact clock's deadline,
        // an hour after intake, in the site's time.
        #expect(
            await eventually { await texts(to: "+4530000000", server).count == 1 },
            "\(server.deliveries.map(form))")
        #expect(
            await texts(to: "+4530000000", server)
                == ["\(reference) received; a chief psychologist will call you by 10:00"])
        #expect(await eventually { await texts(to: "+4520000001", server).count == 1 }, "Anna is paged as before")

        let ack = try await app.ctl(["ack", reference, "--by", "anna"])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(await eventually { await texts(to: "+4530000000", server).count == 2 })
        #expect(
            await texts(to: "+4530000000", server).last == "\(reference): Anna Holm has your case and will call you")

        // Neither carries a link to acknowledge with, nor anything the leader wrote.
        for text in await texts(to: "+4530000000", server) {
            #expect(!text.contains("http"), "\(text)")
            for personal in ["Jens", "Ole", "hit on the head"] { #expect(!text.contains(personal), "\(text)") }
        }
        // The journal tells it: the notice held until the acknowledgement, then queued.
        let journal = try await app.ctl(["journal", "--crisis", reference])
        #expect(journal.stdout.contains("held"), "\(journal.stdout)")
        await app.stop()
    }

    @Test func aDrillGetsNoReceiptsUnlessTheEntryAsksForThem() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let app = try await InProcessDaemon(
            config: Self.config(smsURL: server.url, notify: #"notify = "sms""#), now: Self.t0)
        let drill = try await raise(app, callback: "+45 31 00 00 00", drill: true)
        #expect(try await app.ctl(["ack", drill, "--by", "anna"]).status == 0)
        // A real crisis after it gets both; by then the drill's would have gone out too.
        let real = try await raise(app)
        #expect(try await app.ctl(["ack", real, "--by", "anna"]).status == 0)
        #expect(await eventually { await texts(to: "+4530000000", server).count == 2 })
        #expect(await texts(to: "+4531000000", server) == [])
        await app.stop()

        let asking = try await InProcessDaemon(
            config: Self.config(smsURL: server.url, notify: "notify = \"sms\"\nnotify_drills = true"), now: Self.t0)
        let asked = try await raise(asking, callback: "+45 32 00 00 00", drill: true)
        #expect(await eventually { await texts(to: "+4532000000", server).count == 1 })
        #expect(
            await texts(to: "+4532000000", server)
                == ["DRILL \(asked) received; a chief psychologist will call you by 10:00"])
        await asking.stop()
    }

    @Test(
        .enabled(
            if: integrationRequired || SMTPServer.available,
            "needs /usr/bin/python3 with aiosmtpd (scripts/setup --tests); CI sets CRISISD_INTEGRATION and never skips")
    )
    func anEmailChannelMailsTheRequestersMailbox() async throws {
        let server = WebhookReceiver()
        try await server.start()
        defer { server.stop() }
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        try await smtp.start()
        let app = try await InProcessDaemon(
            config: Self.config(
                smsURL: server.url, smtpURL: smtp.url, notify: "notify = \"mail\"\nemail = \"leaders@glostrup.dk\""),
            now: Self.t0)
        let reference = try await raise(app)
        let mail = try #require(await smtp.waitFor(1).first, "\(app.log)")
        #expect(mail.recipients == ["leaders@glostrup.dk"])
        let raw = String(decoding: mail.raw, as: UTF8.self)
        #expect(raw.contains("Subject: \(reference) received; a chief psychologist will call you by 10:00"), "\(raw)")
        #expect(!raw.contains("/a/"), "no acknowledgement link: \(raw)")
        await app.stop()
    }
}
