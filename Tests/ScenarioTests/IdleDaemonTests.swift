import Foundation
import Testing

/// A daemon that waits for its next deadline costs nothing: the watchdog's checks every second
/// prove the engine alive without a write, so an idle disk stays idle (and an SD card or a
/// laptop's SSD is not worn by a service that has nothing to do).
@Suite struct IdleDaemonTests {
    @Test func aDaemonWaitingForItsNextDeadlineWritesNothingToDisk() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        // One open crisis with running clocks, paged and settled: nothing due for minutes.
        let reference = try await scenario.raise()["reference"] as? String ?? "?"
        #expect(await eventually { scenario.receiver.deliveries.count == 1 }, "the first page goes out")
        try await Task.sleep(for: .seconds(2))

        let files = ["", "-wal", "-shm"].map { scenario.daemon.databasePath + $0 }
        func fingerprint() -> [String] {
            files.map { path in
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                let size = attributes?[.size] as? Int ?? -1
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
                return "\(path.suffix(4)) \(size) \(modified)"
            }
        }
        let before = fingerprint()
        // Five watchdog rounds, each waking the engine and pinging the store.
        try await Task.sleep(for: .seconds(5))
        #expect(fingerprint() == before, "no write while nothing is due")
        let health = try await scenario.daemon.request("GET", "/healthz", token: nil).reply()
        #expect(health.status == 200, "and the health checks still ran: \(health.text)")
        #expect(!reference.isEmpty)
    }
}
