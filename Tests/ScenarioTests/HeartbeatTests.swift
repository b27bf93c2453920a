import Foundation
import Testing

/// `[heartbeat]`: crisisd pings an outside dead-man's switch every interval while healthy, and
/// stops while it is not, so someone else notices.
@Suite struct HeartbeatTests {
    @Test func pingsArriveEveryIntervalAndStopWhileTheEngineStalls() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let daemon = try TestDaemon(
            config: Scenario.config(
                webhookURL: receiver.url,
                extra: """
                    [heartbeat]
                    url = "\(receiver.url)/heartbeat/5f1c-secret-check-id"
                    interval = "1s"
                    """))
        defer {
            daemon.cleanUp()
            receiver.stop()
        }
        let stall = daemon.folder.appendingPathComponent("stall").path
        try await daemon.start(environment: ["CRISISD_DEBUG_STALL_ENGINE_FILE": stall])
        func beats() -> [WebhookReceiver.Delivery] {
            receiver.deliveries.filter { $0.path == "/pages/heartbeat/5f1c-secret-check-id" }
        }
        #expect(await eventually { beats().count >= 3 }, "\(daemon.log.suffix(2000))")
        let times = beats().map(\.arrivedAt)
        let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
        #expect(gaps.allSatisfy { $0 > 0.5 }, "about one a second, not a burst: \(gaps)")

        FileManager.default.createFile(atPath: stall, contents: nil)
        #expect(
            await eventually(timeout: 30) { daemon.log.contains("heartbeat withheld") }, "\(daemon.log.suffix(2000))")
        let stopped = beats().count
        try await Task.sleep(for: .seconds(3))
        #expect(beats().count == stopped, "no heartbeat while the engine stalls")

        try FileManager.default.removeItem(atPath: stall)
        #expect(await eventually { beats().count > stopped }, "heartbeats resume once it is healthy again")
        #expect(!daemon.log.contains("5f1c-secret-check-id"), "the check's URL may be a secret: never logged")
    }
}
