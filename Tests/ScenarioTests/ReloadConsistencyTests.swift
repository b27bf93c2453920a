import Foundation
import Testing

/// A reload must not lose a page: a page queued on a channel the reload removed still reaches
/// its person, through the contacts the new config gives them.
@Suite struct ReloadConsistencyTests {
    static func config(channel: String, url: String) -> String {
        """
        [delivery]
        max_attempts = 5
        backoff_initial = "3s"
        backoff_max = "3s"
        timeout = "3s"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        contacts = ["\(channel)"]

        [[channels]]
        id = "\(channel)"
        type = "webhook"
        url = "\(url)"
        secret = "\(TestDaemon.secret)"

        [[rotations]]
        id = "chiefs"
        members = ["anna"]
        start = "2026-01-05T08:00"
        shift = "7d"

        [escalation]
        steps = [{ notify = ["rotation:chiefs"], wait = "30m" }]
        """
    }

    @Test func aPageWaitingOnAChannelTheReloadRemovedGoesToThePersonsNewContact() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        receiver.script([503])  // the first attempt fails, so the page waits 3 s for its retry
        let daemon = try TestDaemon(config: Self.config(channel: "pages", url: receiver.url))
        defer { daemon.cleanUp() }
        try await daemon.start()

        let reply = try await daemon.request(
            "POST", "/v1/crises", json: #"{"category":"accident","site":"Depot","callback":"+4512345678"}"#
        ).reply()
        #expect(reply.status == 201)
        let reference = try #require(reply.json["reference"] as? String)
        #expect(await receiver.waitFor(1).count == 1, "the first attempt arrives (and is answered 503)")

        // The administrator renames the channel while the page waits for its retry.
        try daemon.rewrite(config: Self.config(channel: "hook", url: receiver.url))
        daemon.signal(SIGHUP)
        let retried = await receiver.waitFor(2, timeout: 15)
        #expect(retried.count == 2, "the waiting page was dropped: \(daemon.log)")
        #expect(retried.last.map { String(decoding: $0.body, as: UTF8.self).contains(reference) } == true)
        #expect(!daemon.log.contains("page failed for good"), "\(daemon.log)")
        // The retry found the channel gone (the reload came first), not the old channel still there.
        #expect(daemon.log.contains("page channel removed by a reload"), "\(daemon.log)")
        let journal = try daemon.ctl(["journal", "--crisis", reference, "--json"]).stdout
        let entries = try JSONSerialization.jsonObject(with: Data(journal.utf8)) as? [[String: Any]] ?? []
        let delivered = entries.first { $0["kind"] as? String == "page.delivered" }
        #expect(
            (delivered?["data"] as? [String: Any])?["channel"] as? String == "hook",
            "the delivery is journaled under the channel used: \(journal)")
    }
}
