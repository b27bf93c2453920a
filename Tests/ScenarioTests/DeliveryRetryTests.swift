import Foundation
import Testing

/// How a failing receiver is treated, in-process on a manual clock against a real HTTP server:
/// its Retry-After is honoured, and a channel that keeps failing is a critical log entry.
@Suite struct DeliveryRetryTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func raise(_ app: InProcessDaemon) async throws -> String {
        let reply = try await app.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00"}"#
        ).reply()
        return try #require(reply.json["reference"] as? String)
    }

    func lastErrors(_ app: InProcessDaemon, _ reference: String) async throws -> [String?] {
        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return (crisis?["pages"] as? [[String: Any]])?.map { $0["last_error"] as? String } ?? []
    }

    @Test func a429IsTriedAgainAfterItsRetryAfterNotBefore() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        receiver.script([429], retryAfter: "30")
        let app = try await InProcessDaemon(
            config: Scenario.config(backoff: "2s", backoffMax: "5m", webhookURL: receiver.url), now: Self.t0)
        let reference = try await raise(app)
        _ = await receiver.waitFor(1)
        #expect(
            try await eventually {
                try await lastErrors(app, reference).first??.hasSuffix("answered HTTP 429 (Retry-After 30 s)") == true
            })
        app.clock.advance(by: 29)
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.deliveries.count == 1, "not before the 30 s the receiver asked for (the backoff was 2 s)")
        app.clock.advance(by: 1)
        #expect(await eventually { receiver.deliveries.count == 2 })
        await app.stop()
    }

    @Test func aChannelThatKeepsFailingIsACriticalLogEntryOnceAndItsRecoveryANotice() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        receiver.script([500, 500, 500])
        let app = try await InProcessDaemon(
            config: Scenario.config(backoff: "10m", webhookURL: receiver.url), now: Self.t0)
        for _ in 0..<2 { _ = try await raise(app) }
        #expect(await eventually { receiver.deliveries.count == 2 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(!app.log.contains("page channel failing"), "two failures are not yet an outage")
        _ = try await raise(app)
        #expect(await eventually { app.log.contains("page channel failing") })
        let alarm = app.log.split(separator: "\n").filter { $0.contains("page channel failing") }
        #expect(alarm.count == 1 && alarm[0].contains("critical") && alarm[0].contains("channel=pages"), "\(alarm)")
        _ = try await raise(app)
        #expect(await eventually { app.log.contains("page channel delivers again") })
        await app.stop()
    }
}
