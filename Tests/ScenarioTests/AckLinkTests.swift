import CrisisNotify
import CrisisStorage
import Foundation
import GRDB
import Testing

/// A page's acknowledgement link, in-process on a manual clock: the page a psychologist opens on
/// the phone, what it shows and never shows, that opening it changes nothing, that its button
/// acknowledges, and the milestones after it. A real webhook receiver gets the pages.
@Suite struct AckLinkTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z, 09:00 in Copenhagen

    static let intake = """
        {"category":"violence","site":"Depot 4 <Hall B>","callback":"+45 20 00 00 00",
         "requester_name":"Jens Jensen","note":"Ole was hit on the head"}
        """

    func start(_ receiver: WebhookReceiver) async throws -> (InProcessDaemon, reference: String, link: String) {
        let app = try await InProcessDaemon(
            config: Scenario.config(webhookURL: receiver.url, escalation: #"steps = ["rotation:chiefs"]"#),
            now: Self.t0)
        let reply = try await app.request("POST", "/v1/crises", json: Self.intake).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        let page = try #require(await receiver.waitFor(1).first)
        let link = try #require(page.json["ack_url"] as? String)
        return (app, reference, link)
    }

    func get(_ url: String) async throws -> HTTPReply {
        try await CurlHTTPClient.send(HTTPCall(url: url, timeout: 10)).get()
    }

    func post(_ url: String, _ form: String) async throws -> HTTPReply {
        try await CurlHTTPClient.send(
            HTTPCall(
                method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(form.utf8), timeout: 10)
        ).get()
    }

    func status(_ app: InProcessDaemon, _ reference: String) async throws -> [String: Any] {
        let status = try await app.ctl(["status", reference, "--json"])
        return try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func theLinkShowsTheCrisisOpeningItChangesNothingAndItsButtonAcknowledges() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let (app, reference, link) = try await start(receiver)
        #expect(link.hasPrefix("http://127.0.0.1:\(app.port)/a/"), "\(link)")
        // Its token is derived from a key the daemon alone reads (`StateKey.ackLinks`), so that
        // a page sent again after a failed commit carries the same, working link.
        let key = app.folder.appendingPathComponent("state/ack-link.key").path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let keyBytes = try #require(FileManager.default.contents(atPath: key))
        let delivered = try #require(receiver.deliveries.first)
        let pageID = try #require((delivered.json["id"] as? String)?.split(separator: "-").last)
        #expect(
            link.hasSuffix(
                "/a/" + SecretToken.derived(key: Array(keyBytes), subject: "ack-link/\(reference)/\(pageID)/1")))

        let page = try await get(link)
        #expect(page.status == 200)
        let html = page.text
        #expect(html.contains("\(reference): violence"))
        #expect(html.contains("Depot 4 &lt;Hall B&gt;"), "the site is escaped")
        #expect(html.contains(#"href="tel:+4520000000""#))
        #expect(html.contains("acknowledge</b> by 09:05 (5 min left)"), "\(html)")
        #expect(html.contains("<button class=primary>Acknowledge</button>"))
        for personal in ["Jens", "Ole", "hit on the head"] { #expect(!html.contains(personal)) }

        // Opening it twice, as a link scanner would, acknowledges nothing.
        _ = try await get(link)
        #expect(try await status(app, reference)["acknowledged_by"] == nil)

        let acked = try await post(link, "action=ack")
        #expect(acked.status == 200)
        #expect(acked.text.contains("Acknowledged by Anna Holm at 09:00."))
        let crisis = try await status(app, reference)
        #expect(crisis["acknowledged_by"] as? String == "anna")
        let journal = try await app.ctl(["journal", "--crisis", reference, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(
            entries.contains { $0["kind"] as? String == "crisis.acknowledged" && $0["actor"] as? String == "link:anna" }
        )

        // A second acknowledgement through it says so.
        // A second acknowledgement, from any path, says who has it and since when.
        app.clock.advance(by: 120)
        #expect(
            try await post(link, "action=ack").text.contains("It was already acknowledged by Anna Holm at 09:00."))
        await app.stop()
    }

    @Test func afterTheAcknowledgementTheLinkRecordsTheNextMilestonesAndEndsWithTheCrisis() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let (app, reference, link) = try await start(receiver)
        _ = try await post(link, "action=ack")
        app.clock.advance(by: 600)

        let contacted = try await post(link, "action=contacted")
        #expect(contacted.status == 200)
        #expect(contacted.text.contains("Recorded: contacted."))
        #expect(contacted.text.contains("<b>contact</b> met at 09:10"), "\(contacted.text)")

        let early = try await post(link, "action=onsite")
        #expect(early.status == 400)
        #expect(early.text.contains("record dispatched --to PERSON"), "a step out of order is refused, and why")

        #expect(try await post(link, "action=dispatched&to=bo").status == 200)
        let waived = try await post(link, "action=waive-onsite&reason=assessed+by+phone")
        #expect(waived.text.contains("<b>on site</b> waived at 09:10"), "\(waived.text)")
        let resolved = try await post(link, "action=resolved&outcome=all+well")
        #expect(resolved.text.contains("Done"))
        #expect(try await status(app, reference)["status"] as? String == "resolved")
        #expect(try await get(link).status == 404, "a resolved crisis ends its links")
        await app.stop()
    }

    @Test func anUnknownOrExpiredLinkOpensNothing() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let (app, _, link) = try await start(receiver)
        let base = "http://127.0.0.1:\(app.port)/a/"
        #expect(try await get(base + String(repeating: "A", count: 43)).status == 404)
        #expect(try await get(base + "not-a-token").status == 404)
        #expect(try await post(base + String(repeating: "A", count: 43), "action=ack").status == 404)
        app.clock.advance(by: 24 * 3600)
        #expect(try await get(link).status == 404, "a link works for [http] ack_link_valid_for, 24h by default")
        #expect(try await post(link, "action=ack").status == 404)
        await app.stop()
    }

    @Test func aStoreThatCannotWriteGetsAnHonestPageNotAnEmptyError() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let (app, reference, link) = try await start(receiver)
        // The acknowledgement's write fails in the database, as a full disk would make it.
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let database = try DatabaseQueue(
            path: app.folder.appendingPathComponent("state/crisisd.sqlite").path, configuration: configuration)
        try await database.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_ack BEFORE UPDATE OF acknowledged_at ON crisis
                    BEGIN SELECT RAISE(ABORT, 'disk full'); END
                    """)
        }
        let refused = try await post(link, "action=ack")
        #expect(refused.status == 500)
        #expect(refused.text.contains("This may not have been recorded."), "\(refused.text)")
        #expect(refused.text.contains("\(reference): violence"), "the page is still there to try again")
        #expect(try await status(app, reference)["acknowledged_by"] == nil)
        await app.stop()
    }
}
