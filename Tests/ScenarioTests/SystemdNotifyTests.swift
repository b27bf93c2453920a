import Foundation
import Testing

/// systemd's `Type=notify`: READY=1 only once crisisd serves, STOPPING=1 on SIGTERM.
@Suite struct SystemdNotifyTests {
    @Test func theDaemonReportsReadyOnceServingAndStoppingOnSigterm() async throws {
        let notify = try NotifySocket()
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        scenario.daemon.terminate()
        try await scenario.daemon.start(environment: ["NOTIFY_SOCKET": notify.path])

        let ready = await eventually { notify.messages.contains { $0.contains("READY=1") } }
        #expect(ready, "\(notify.messages)")
        #expect(
            notify.messages.first { $0.contains("READY=1") }?.contains(
                "STATUS=serving on 127.0.0.1:\(scenario.daemon.port)") == true)
        // Ready means ready: a crisis raised right after it is accepted.
        _ = try await scenario.raise()

        #expect(scenario.daemon.terminate() == 0)
        let stopping = await eventually { notify.messages.contains { $0.contains("STOPPING=1") } }
        #expect(stopping, "\(notify.messages)")
    }
}
