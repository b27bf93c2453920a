import Foundation
import Testing

/// In a burst every one of the sender's sixteen places can be taken, and a page claimed with its
/// crisis waits in memory for one. An acknowledgement during that wait must stop the crisis's
/// page there as it stops it in the outbox: nobody is paged for a crisis already taken.
@Suite struct AcknowledgedWhileWaitingTests {
    @Test func aPageWaitingForAPlaceIsNotSentOnceItsCrisisIsAcknowledged() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        // Sixteen crises hold every place for 2 s (under the 3 s timeout); the seventeenth waits.
        scenario.receiver.hold(.seconds(2))
        for _ in 0..<16 { _ = try await scenario.raise() }
        let waiting = try #require(try await scenario.raise()["reference"] as? String)
        let ack = try await scenario.daemon.control("POST", "/v1/crises/\(waiting)/ack", json: #"{"by":"anna"}"#)
            .reply()
        #expect(ack.status == 200)
        scenario.receiver.hold(.zero)

        // The sixteen arrive; a page for the seventeenth would follow as soon as a place freed.
        let pages = await scenario.receiver.waitFor(17, timeout: 6)
        #expect(pages.count == 16)
        #expect(!pages.contains { $0.json["reference"] as? String == waiting }, "paged for an acknowledged crisis")
        let crisis = try await scenario.daemon.request("GET", "/v1/crises/\(waiting)").reply()
        let statuses = (crisis.json["pages"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
        #expect(statuses == ["cancelled"], "\(crisis.text)")
    }
}
