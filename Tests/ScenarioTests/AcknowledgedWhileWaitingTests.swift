import Foundation
import Testing

/// In a burst every one of the sender's 32 places can be taken, and a page claimed with its
/// crisis waits in memory for one. An acknowledgement during that wait must stop the crisis's
/// page there as it stops it in the outbox: nobody is paged for a crisis already taken.
@Suite struct AcknowledgedWhileWaitingTests {
    @Test func aPageWaitingForAPlaceIsNotSentOnceItsCrisisIsAcknowledged() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        // 32 crises hold every place for 2 s (under the 3 s timeout); the 33rd waits. They are
        // raised at once, so that the first page's hold does not end before the last is raised.
        scenario.receiver.hold(.seconds(2))
        let daemon = scenario.daemon
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    try await daemon.request(
                        "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot","callback":"+4512345678"}"#
                    ).reply().status
                }
            }
            for try await status in group { #expect(status == 201) }
        }
        let waiting = try #require(try await scenario.raise()["reference"] as? String)
        let ack = try await scenario.daemon.control("POST", "/v1/crises/\(waiting)/ack", json: #"{"by":"anna"}"#)
            .reply()
        #expect(ack.status == 200)
        scenario.receiver.hold(.zero)

        // The 32 arrive; a page for the 33rd would follow as soon as a place freed.
        let pages = await scenario.receiver.waitFor(33, timeout: 6)
        #expect(pages.count == 32)
        #expect(!pages.contains { $0.json["reference"] as? String == waiting }, "paged for an acknowledged crisis")
        let crisis = try await scenario.daemon.request("GET", "/v1/crises/\(waiting)").reply()
        let statuses = (crisis.json["pages"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
        #expect(statuses == ["cancelled"], "\(crisis.text)")
    }
}
