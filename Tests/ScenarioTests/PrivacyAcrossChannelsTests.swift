import Foundation
import Testing

/// Page text is built from one minimal view for every channel: a crisis reported with a note and
/// the requester's name goes out through every kind of channel at once (a signed webhook, ntfy, a
/// Twilio SMS, a generic SMS gateway, e-mail and the console), and neither the note, nor the
/// requester's name, nor an affected person's name is in any request, message or log line.
@Suite(
    .enabled(
        if: integrationRequired || SMTPServer.available,
        "needs aiosmtpd (scripts/setup --tests); CI sets CRISISD_INTEGRATION and never skips"))
struct PrivacyAcrossChannelsTests {
    static let personal = ["Jens", "Jensen", "Ole", "hit on the head", "bleeding"]

    @Test func noteAndNamesLeaveThroughNoChannel() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        try await smtp.start()
        let config = """
            [[channels]]
            id = "hook"
            type = "webhook"
            url = "\(receiver.url)"
            secret = "\(TestDaemon.secret)"

            [[channels]]
            id = "push"
            type = "ntfy"
            url = "\(receiver.url)"

            [[channels]]
            id = "twilio"
            type = "sms"
            flavour = "twilio"
            url = "\(receiver.url)"
            account_sid = "AC0123456789abcdef0123456789abcdef"
            auth_token = "twilio-auth-token-for-the-test"
            from = "+4570000000"

            [[channels]]
            id = "gateway"
            type = "sms"
            flavour = "generic"
            url = "\(receiver.url)/generic"
            content_type = "application/json"
            body = '{"to":"{{to}}","text":"{{text}}","site":"{{site}}"}'

            [[channels]]
            id = "mail"
            type = "email"
            url = "\(smtp.url)"
            from = "crisisd@example.org"

            [[channels]]
            id = "console"
            type = "console"

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+4520000001"
            email = "anna@example.org"
            ntfy_topic = "anna-pages"
            contacts = ["hook", "push", "twilio", "gateway", "mail", "console"]
            roles = ["chief"]

            [[rotations]]
            id = "chiefs"
            members = ["anna"]
            start = "2026-01-05T08:00"
            shift = "30000d"

            [escalation]
            steps = ["rotation:chiefs"]
            """
        let app = try await InProcessDaemon(config: config, now: Date(timeIntervalSince1970: 1_800_000_000))
        let reply = try await app.request(
            "POST", "/v1/crises",
            json: """
                {"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00","requester_name":"Jens Jensen",
                 "note":"Ole was hit on the head and is bleeding","people":2}
                """
        ).reply()
        let reference = try #require(reply.json["reference"] as? String)
        #expect(await eventually { receiver.deliveries.count == 4 }, "webhook, ntfy and both SMS gateways")
        let mails = await smtp.waitFor(1)
        #expect(mails.count == 1)
        #expect(await eventually { app.log.contains("page delivered") && app.log.contains(reference) })
        try await Task.sleep(for: .milliseconds(300))

        var outgoing: [(String, String)] = receiver.deliveries.map {
            (
                "\($0.path)?\($0.query)",
                $0.headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
                    + "\n" + String(decoding: $0.body, as: UTF8.self)
            )
        }
        outgoing += mails.map { ("mail", String(decoding: $0.raw, as: UTF8.self)) }
        outgoing.append(("the log", app.log))
        for (place, text) in outgoing {
            #expect(text.contains(reference) || place == "the log", "\(place) is about the crisis")
            for word in Self.personal {
                #expect(!text.contains(word), "\(place) carries \"\(word)\":\n\(text)")
            }
        }
        await app.stop()
    }
}
