import Foundation
import Testing

/// systemd's `Type=notify`: READY=1 only once crisisd serves, STATUS= in one line, WATCHDOG=1
/// only while healthy, STOPPING=1 on SIGTERM.
@Suite struct SystemdNotifyTests {
    @Test func theDaemonReportsReadyOnceServingAndStoppingOnSigterm() async throws {
        let notify = try NotifySocket()
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        scenario.daemon.terminate()
        try await scenario.daemon.start(environment: ["NOTIFY_SOCKET": notify.path])

        let ready = await eventually { notify.messages.contains { $0.contains("READY=1") } }
        #expect(ready, "\(notify.messages)")
        let readyStatus = notify.messages.first { $0.contains("READY=1") } ?? ""
        #expect(readyStatus.contains("STATUS=0 open crises; on duty: Bo Madsen, Anna Holm"), "\(readyStatus)")
        // Ready means ready: a crisis raised right after it is accepted.
        let reference = try await scenario.raise()["reference"] as? String ?? "?"

        // The status follows: a count, the next deadline and who is on duty; ids and names only.
        let updated = await eventually {
            notify.messages.contains {
                $0.hasPrefix("STATUS=1 open crisis; next deadline \(reference) ")
                    && $0.hasSuffix("; on duty: Bo Madsen, Anna Holm")
            }
        }
        #expect(updated, "\(notify.messages)")
        #expect(!notify.messages.joined().contains("Depot"), "no site or other crisis detail in STATUS=")

        #expect(scenario.daemon.terminate() == 0)
        let stopping = await eventually { notify.messages.contains { $0.contains("STOPPING=1") } }
        #expect(stopping, "\(notify.messages)")
    }

    @Test func theStatusFollowsAnEscalationStepWithinSeconds() async throws {
        let notify = try NotifySocket()
        let scenario = try await Scenario.start(
            escalation:
                #"steps = [{ notify = ["rotation:chiefs"], wait = "3s" }, { notify = ["person:bo"], wait = "1h" }]"#
        )
        defer { scenario.stop() }
        scenario.daemon.terminate()
        try await scenario.daemon.start(environment: ["NOTIFY_SOCKET": notify.path])
        #expect(await eventually { notify.messages.contains { $0.contains("READY=1") } })
        let reference = try await scenario.raise()["reference"] as? String ?? "?"
        func statuses() -> [String] { notify.messages.filter { $0.hasPrefix("STATUS=") } }
        #expect(await eventually { statuses().last?.contains("\(reference) escalation in ") == true }, "\(statuses())")

        let escalated = await eventually {
            scenario.receiver.deliveries.contains { $0.json["recipient"] as? String == "bo" }
        }
        #expect(escalated, "bo is paged once anna's 3 s have passed")
        // The line the operator sees in `systemctl status` moves on to the next deadline at once,
        // not up to a minute later still showing the step that has already been taken.
        let movedOn = await eventually(timeout: 5) {
            guard let last = statuses().last else { return false }
            return last.hasPrefix("STATUS=1 open crisis; next deadline \(reference) ")
                && !last.contains("escalation in ") && !last.contains("overdue")
        }
        #expect(movedOn, "\(statuses())")
    }

    @Test func watchdogPingsStopWhileTheEngineStallsAndResumeAfter() async throws {
        let notify = try NotifySocket()
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        scenario.daemon.terminate()
        let stall = scenario.daemon.folder.appendingPathComponent("stall").path
        // As systemd sets it for WatchdogSec=4s: pings every second (at most half of it).
        try await scenario.daemon.start(environment: [
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "4000000", "CRISISD_DEBUG_STALL_ENGINE_FILE": stall,
        ])
        func pings() -> Int { notify.messages.filter { $0 == "WATCHDOG=1" }.count }
        #expect(await eventually { pings() >= 2 }, "\(notify.messages)")

        FileManager.default.createFile(atPath: stall, contents: nil)
        let withheld = await eventually(timeout: 30) { scenario.daemon.log.contains("watchdog pings withheld") }
        #expect(withheld, "\(scenario.daemon.log.suffix(3000))")
        let stopped = pings()
        try await Task.sleep(for: .seconds(3))
        #expect(pings() == stopped, "no WATCHDOG=1 while the engine stalls")
        #expect(
            notify.messages.contains { $0.hasPrefix("STATUS=degraded: the escalation engine has made no progress") })
        let health = try await scenario.daemon.request("GET", "/healthz", token: nil).reply()
        #expect(health.status == 503)
        #expect((health.json["problems"] as? [[String: Any]])?.first?["check"] as? String == "engine", "\(health.text)")

        try FileManager.default.removeItem(atPath: stall)
        #expect(await eventually { pings() > stopped }, "pings resume once the engine runs again")
        #expect(scenario.daemon.log.contains("watchdog pings resumed"))
        #expect(try await scenario.daemon.request("GET", "/healthz", token: nil).reply().status == 200)
    }
}
