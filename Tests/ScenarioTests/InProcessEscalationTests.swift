import Foundation
import Testing

/// The escalation policy and the response clocks with their real durations, minutes and hours,
/// run in-process on a manual clock: the test moves time, and pages arrive at a real webhook
/// receiver at the instants the policy says, in milliseconds.
@Suite struct InProcessEscalationTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z, a Friday

    static func config(receiver: WebhookReceiver) -> String {
        """
        [delivery]
        max_attempts = 3
        backoff_initial = "1s"
        backoff_max = "1s"
        timeout = "3s"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        contacts = ["pages"]

        [[people]]
        id = "bo"
        name = "Bo Madsen"
        phone = "+4520000002"
        contacts = ["pages"]

        [[people]]
        id = "lead"
        name = "Service lead"
        phone = "+4520000009"
        contacts = ["pages"]

        [[channels]]
        id = "pages"
        type = "webhook"
        url = "\(receiver.url)"
        secret = "\(TestDaemon.secret)"

        [[rotations]]
        id = "chiefs"
        members = ["anna"]
        start = "2026-01-05T08:00"
        shift = "30000d"
        backup = "backups"

        [[rotations]]
        id = "backups"
        members = ["bo"]
        start = "2026-01-05T08:00"
        shift = "30000d"

        [escalation]
        steps = [
            { notify = ["rotation:chiefs"], wait = "5m" },
            { notify = ["rotation:chiefs:backup"], wait = "5m" },
        ]
        exhausted = ["person:lead"]
        """
    }

    func crisisPages(_ receiver: WebhookReceiver) -> [WebhookReceiver.Delivery] {
        receiver.deliveries.filter { $0.json["kind"] as? String == "crisis" }
    }

    @Test func anUnacknowledgedCrisisGoesToTheBackupWhenTheFiveMinuteWaitEndsAndThenToTheLead() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver), now: Self.t0)

        let reply = try await app.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot","callback":"+4512345678"}"#
        ).reply()
        #expect(reply.status == 201)
        let reference = try #require(reply.json["reference"] as? String)
        #expect(await eventually { crisisPages(receiver).count == 1 })
        #expect(crisisPages(receiver).first?.json["recipient"] as? String == "anna")

        // 4 min 59 s on, still only anna's page; at 5 min, the backup's.
        app.clock.advance(by: 299)
        try await Task.sleep(for: .milliseconds(200))  // time for a wrongly early page to show
        #expect(crisisPages(receiver).count == 1, "nothing before the wait ends")
        app.clock.advance(by: 1)
        #expect(await eventually { crisisPages(receiver).count == 2 })
        #expect(crisisPages(receiver).last?.json["recipient"] as? String == "bo")
        #expect(crisisPages(receiver).last?.json["step"] as? Int == 2)

        // Another 5 min: every step went unanswered, and the lead hears of it.
        app.clock.advance(by: 300)
        let exhausted = await eventually { receiver.deliveries.contains { $0.json["kind"] as? String == "exhausted" } }
        #expect(exhausted)
        let lead = receiver.deliveries.first { $0.json["kind"] as? String == "exhausted" }
        #expect(lead?.json["recipient"] as? String == "lead")
        #expect(lead?.json["reference"] as? String == reference)
        await app.stop()
    }
}
