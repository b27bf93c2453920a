import Foundation
import Testing

/// `/healthz` tells the truth: 503 naming the cause when the database cannot commit, 200 with a
/// warning after a refused reload. (A stalled engine: `SystemdNotifyTests`.)
@Suite struct HealthzTests {
    @Test func aFullDiskAnswers503NamingTheCommitsUntilAWriteCommitsAgain() async throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else {
            #expect(!integrationRequired, "CRISISD_INTEGRATION is set: root is needed to mount a small disk")
            return
        }
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let daemon = try TestDaemon(config: Scenario.config(webhookURL: receiver.url))
        let state = daemon.folder.appendingPathComponent("state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        // A real full disk: the state directory on a 3 MB tmpfs.
        #expect(
            try runCommand(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=3m", "tmpfs", state]).status
                == 0)
        defer {
            daemon.terminate()
            _ = try? runCommand(URL(fileURLWithPath: "/bin/umount"), ["-l", state])
            daemon.cleanUp()
        }
        try await daemon.start()
        let intake = #"{"category":"accident","site":"Depot","callback":"+4512345678"}"#
        #expect(try await daemon.request("POST", "/v1/crises", json: intake).reply().status == 201)
        #expect(try await daemon.request("GET", "/healthz", token: nil).reply().status == 200)

        let fill = state + "/fill"
        _ = try runCommand(URL(fileURLWithPath: "/bin/dd"), ["if=/dev/zero", "of=\(fill)", "bs=64k"])
        // The write-ahead log may still have room in blocks it already holds: write until a write fails.
        var refused = false
        for _ in 0..<40 where !refused {
            refused = try await daemon.request("POST", "/v1/crises", json: intake).reply().status == 500
        }
        #expect(refused, "an intake fails on the full disk")
        let health = try await daemon.request("GET", "/healthz", token: nil).reply()
        #expect(health.status == 503, "\(health.text)")
        #expect(health.json["status"] as? String == "degraded")
        let problem = (health.json["problems"] as? [[String: Any]])?.first
        #expect(problem?["check"] as? String == "commits", "\(health.text)")
        #expect((problem?["message"] as? String)?.contains("full") == true, "names the cause: \(health.text)")
        #expect(health.json["version"] as? String != nil, "the fields it always had stay")

        try FileManager.default.removeItem(atPath: fill)
        #expect(try await daemon.request("POST", "/v1/crises", json: intake).reply().status == 201)
        let after = try await daemon.request("GET", "/healthz", token: nil).reply()
        #expect(after.status == 200, "a commit clears it: \(after.text)")
    }

    @Test func aRefusedReloadAnswers200WithAWarning() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        try scenario.daemon.rewrite(config: "[[people]]\nid = 7\n")
        scenario.daemon.signal(SIGHUP)
        let warned = try await eventually {
            let health = try await scenario.daemon.request("GET", "/healthz", token: nil).reply()
            return health.status == 200 && health.json["status"] as? String == "ok"
                && (health.json["warnings"] as? [[String: Any]])?.first?["check"] as? String == "reload"
        }
        let last = try await scenario.daemon.request("GET", "/healthz", token: nil).reply()
        #expect(warned, "\(last.text)")
    }
}
