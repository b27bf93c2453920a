import CrisisSQLite
import CrisisStorage
import Foundation
import Testing

/// A daemon that keeps dying mid-delivery must not turn into a page storm: an attempt is on disk
/// before its request goes out, so a restart retries it at its backoff, with a higher attempt
/// number, and never more than `max_attempts` times in all.
@Suite struct CrashLoopTests {
    /// One page as the receiver sees it: the same crisis, kind, step, recipient and clock.
    struct PageIdentity: Hashable, CustomStringConvertible {
        var reference: String
        var kind: String
        var step: Int
        var recipient: String
        var clock: String

        init(_ delivery: WebhookReceiver.Delivery) {
            let json = delivery.json
            reference = json["reference"] as? String ?? "?"
            kind = json["kind"] as? String ?? "?"
            step = json["step"] as? Int ?? 0
            recipient = json["recipient"] as? String ?? "?"
            clock = json["clock"] as? String ?? ""
        }

        var description: String { "\(reference) \(kind) step \(step) to \(recipient)" }
    }

    @Test func aPageInFlightWhenTheDaemonIsKilledIsRetriedAfterItsBackoffAsTheNextAttempt() async throws {
        let scenario = try await Scenario.start(backoff: "3s")
        defer { scenario.stop() }
        scenario.receiver.hold(.seconds(2))
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        let first = try #require(await scenario.receiver.waitFor(1).first)
        // The request is open at the receiver: no outcome can have been recorded.
        scenario.daemon.kill9()
        scenario.receiver.hold(.zero)
        try await scenario.daemon.start()

        let second = try #require(await scenario.receiver.waitFor(2, timeout: 15).dropFirst().first)
        #expect(second.json["reference"] as? String == reference)
        #expect(second.json["attempt"] as? Int == 2, "the attempt cut short by the kill counts")
        let gap = second.arrivedAt.timeIntervalSince(first.arrivedAt)
        #expect(gap >= 2.5 && gap < 6, "the page came again \(gap) s after the attempt the kill cut short")
        let delivered = await eventually {
            let crisis = try? await scenario.daemon.request("GET", "/v1/crises/\(reference)").reply().json
            return (crisis?["pages"] as? [[String: Any]])?.first?["status"] as? String == "delivered"
        }
        #expect(delivered)
        try await Task.sleep(for: .seconds(1))
        #expect(scenario.receiver.deliveries.count == 2, "a delivered page is not sent again")
    }

    /// systemctl stop or restart is not a crash: a request already out finishes, its outcome is
    /// recorded, and the page is neither sent again nor charged an attempt it did not get.
    @Test func aSIGTERMWhileAPageIsOutWaitsForItsOutcomeSoTheRestartDoesNotSendItAgain() async throws {
        let scenario = try await Scenario.start(backoff: "3s")
        defer { scenario.stop() }
        scenario.receiver.hold(.seconds(1))
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        _ = await scenario.receiver.waitFor(1)
        #expect(scenario.daemon.terminate() == 0, "\(scenario.daemon.log)")
        scenario.receiver.hold(.zero)

        try await scenario.daemon.start()
        let journal = try scenario.daemon.ctl(["journal", "--json"]).stdout
        let stopped = try #require(journal.range(of: "daemon.stopping"))
        let delivered = try #require(journal.range(of: "page.delivered"), "the outcome was recorded: \(journal)")
        #expect(delivered.lowerBound < stopped.lowerBound, "before the daemon stopped: \(journal)")
        try await Task.sleep(for: .seconds(4))  // past the 3 s backoff a cut-short attempt would wait
        #expect(scenario.receiver.deliveries.count == 1, "the page went out once")
    }

    @Test func twentyKillNinesUnderLoadPageEveryCrisisAtLeastOnceAndNoneMoreThanMaxAttempts() async throws {
        // max_attempts = 3 (the scenario's); each page is held open so that kills find pages in flight.
        let scenario = try await Scenario.start(backoff: "500ms")
        defer { scenario.stop() }
        let daemon = scenario.daemon
        scenario.receiver.hold(.milliseconds(300))

        let accepted = Locked<Set<String>>([])
        let loadOver = Locked(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<4 {
                group.addTask {
                    var n = 0
                    while !loadOver.value {
                        n += 1
                        let result = await daemon.request(
                            "POST", "/v1/crises",
                            json: #"{"category":"violence","site":"Site \#(client)-\#(n)","callback":"+4512345678"}"#,
                            headers: [("Idempotency-Key", "client-\(client)-\(n)")])
                        if case .success(let reply) = result, reply.status == 201,
                            let reference = reply.json["reference"] as? String
                        {
                            accepted.withLock { _ = $0.insert(reference) }
                        } else {
                            try? await Task.sleep(for: .milliseconds(20))
                        }
                        try? await Task.sleep(for: .milliseconds(30))
                    }
                }
            }
            group.addTask {
                defer { loadOver.withLock { $0 = true } }
                for cycle in 0..<20 {
                    // Kill at varied moments of the load, the same ones on every run.
                    try await Task.sleep(for: .milliseconds(250 + (cycle * 137) % 500))
                    daemon.kill9()
                    try await daemon.start()
                }
            }
            try await group.waitForAll()
        }
        let answered = accepted.value
        #expect(answered.count >= 100, "the load was too light to show anything: \(answered.count) crises")

        // Let the outbox settle: every page delivered, or given up after max_attempts. Pages
        // that a kill cut short go again at their backoff, in any of the sender's 32 places (a
        // cut-short attempt is no retry), each held 300 ms here. How many the load left depends
        // on how fast intake is (the clients only pause 30 ms between crises), so the wait is that
        // backlog's time at a quarter of that pace (8 at once, about 26 a second), and 20 s more, not a
        // fixed 30 s a faster daemon's larger backlog outgrew.
        let pagedByNow = Set(scenario.receiver.deliveries.map { PageIdentity($0).reference })
        let backlog = answered.subtracting(pagedByNow).count
        let drain = 20 + Double(backlog) * 0.3 / 8
        let store = try SQLiteCrisisStore(path: daemon.databasePath)
        let settled = try await eventually(timeout: drain) { try await store.nextPageDue() == nil }
        #expect(
            settled,
            "pages still pending \(Int(drain)) s after the load (\(backlog) crises not yet paged when it ended)")

        var sends: [PageIdentity: [Int]] = [:]
        for delivery in scenario.receiver.deliveries {
            sends[PageIdentity(delivery), default: []].append(delivery.json["attempt"] as? Int ?? 0)
        }
        let paged = Set(sends.keys.map(\.reference))
        let neverPaged = answered.subtracting(paged)
        // The first one's journal says what became of its page.
        let story = try neverPaged.min().map { try daemon.ctl(["journal", "--crisis", $0]).stdout } ?? ""
        #expect(
            neverPaged.isEmpty,
            "\(neverPaged.count) crises answered 201 were never paged: \(neverPaged.sorted().prefix(5))\n\(story)")
        #expect(sends.values.contains { $0.count > 1 }, "no kill found a page in flight: the run shows nothing")
        let storm = sends.filter { $0.value.count > 3 }
        #expect(
            storm.isEmpty,
            "pages sent more than max_attempts = 3 times: \(storm.prefix(5).map { "\($0.key): \($0.value)" })")
        let unordered = sends.filter { _, attempts in zip(attempts, attempts.dropFirst()).contains { $0 >= $1 } }
        #expect(
            unordered.isEmpty,
            "attempt numbers not rising with each send: \(unordered.prefix(5).map { "\($0.key): \($0.value)" })")
    }
}
