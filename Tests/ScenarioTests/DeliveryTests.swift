import Foundation
import Testing

/// Pages that fail are retried with backoff when the failure may pass, and not otherwise;
/// every attempt and its outcome is in the journal.
@Suite struct DeliveryTests {
    func journalKinds(_ scenario: Scenario, _ reference: String) throws -> [String] {
        let journal = try scenario.daemon.ctl(["journal", "--crisis", reference, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? [])
            .compactMap { $0["kind"] as? String }
    }

    @Test func aServerErrorIsRetriedWithBackoffUntilThePageIsDelivered() async throws {
        let scenario = try await Scenario.start(backoff: "300ms")
        defer { scenario.stop() }
        scenario.receiver.script([503, 500])
        let reference = try #require(try await scenario.raise()["reference"] as? String)

        let pages = await scenario.receiver.waitFor(3)
        #expect(pages.map { $0.json["attempt"] as? Int } == [1, 2, 3])
        #expect(pages.allSatisfy { $0.json["reference"] as? String == reference })
        for (earlier, later) in zip(pages, pages.dropFirst()) {
            // The 300 ms backoff, spread ±20 % by jitter: never under 240 ms.
            #expect(later.arrivedAt.timeIntervalSince(earlier.arrivedAt) >= 0.235, "retries wait for the backoff")
        }
        let delivered = await eventually { (try? journalKinds(scenario, reference).contains("page.delivered")) == true }
        #expect(delivered)
        let kinds = try journalKinds(scenario, reference)
        #expect(kinds.filter { $0 == "page.attempted" }.count == 3)
        #expect(kinds.filter { $0 == "page.failed" }.count == 2)
        #expect(kinds.filter { $0 == "page.retry_scheduled" }.count == 2)
    }

    @Test func aClientErrorIsNotRetried() async throws {
        let scenario = try await Scenario.start(backoff: "100ms")
        defer { scenario.stop() }
        scenario.receiver.script([400])
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        let gaveUp = await eventually { (try? journalKinds(scenario, reference).contains("page.gave_up")) == true }
        #expect(gaveUp)
        try await Task.sleep(for: .milliseconds(500))
        #expect(scenario.receiver.deliveries.count == 1)
        let crisis = try await scenario.daemon.request("GET", "/v1/crises/\(reference)").reply().json
        let page = try #require((crisis["pages"] as? [[String: Any]])?.first)
        #expect(page["status"] as? String == "failed")
        #expect((page["last_error"] as? String)?.contains("HTTP 400") == true)
    }

    @Test func anUnreachableReceiverIsRetriedAndGivenUpAfterMaxAttempts() async throws {
        // Port 1 on loopback: nothing listens there, and no other test's receiver can take it.
        let scenario = try await Scenario.start(backoff: "100ms", webhookURL: "http://127.0.0.1:1/pages")
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        let gaveUp = await eventually { (try? journalKinds(scenario, reference).contains("page.gave_up")) == true }
        #expect(gaveUp)
        let kinds = try journalKinds(scenario, reference)
        #expect(kinds.filter { $0 == "page.attempted" }.count == 3, "max_attempts = 3: \(kinds)")
        #expect(scenario.daemon.log.contains("page failed for good"))
    }

    @Test func anAcknowledgementStopsRetries() async throws {
        let scenario = try await Scenario.start(backoff: "2s")
        defer { scenario.stop() }
        scenario.receiver.script([503])
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        _ = await scenario.receiver.waitFor(1)
        let ack = try scenario.daemon.ctl(["ack", reference, "--by", "anna", "--json"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(ack.stdout.utf8)) as? [String: Any]
        #expect(answer?["cancelled_pages"] as? Int == 1)
        try await Task.sleep(for: .seconds(3))
        #expect(
            scenario.receiver.deliveries.count == 1,
            "no retry after the acknowledgement: \(scenario.receiver.deliveries.map { $0.json["attempt"] ?? "?" }) \(scenario.daemon.log)"
        )
        #expect(try journalKinds(scenario, reference).contains("page.cancelled"))
    }
}
