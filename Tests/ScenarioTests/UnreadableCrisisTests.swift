import Foundation
import GRDB
import Testing

/// A crisis holding a value this crisisd does not know is an error naming the row, and it does
/// not stop the daemon serving and escalating the other crises.
@Suite struct UnreadableCrisisTests {
    @Test func aCrisisWithAnUnknownCategoryIsA500NamingTheRowWhileAnotherCrisisIsStillServedAndEscalated() async throws
    {
        let scenario = try await Scenario.start(
            escalation: """
                steps = [
                    { notify = ["rotation:chiefs"], wait = "2s" },
                    { notify = ["rotation:chiefs:backup"], wait = "30s" },
                ]
                """)
        defer { scenario.stop() }
        let spoiled = try #require(try await scenario.raise()["reference"] as? String)
        let sound = try #require(try await scenario.raise()["reference"] as? String)
        // As a newer crisisd (or a hand edit) might leave it: before either crisis's 2 s step is due.
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: scenario.daemon.databasePath, configuration: configuration)
        try await queue.write { db in
            try db.execute(sql: "UPDATE crisis SET category = 'weather' WHERE reference = ?", arguments: [spoiled])
        }

        let answer = try await scenario.daemon.request("GET", "/v1/crises/\(spoiled)").reply()
        #expect(answer.status == 500, "\(answer.text)")
        #expect(scenario.daemon.log.contains(#"crisis row 1: unknown category \"weather\""#), "\(scenario.daemon.log)")

        let other = try await scenario.daemon.request("GET", "/v1/crises/\(sound)").reply()
        #expect(other.status == 200, "\(other.text)")
        #expect(other.json["category"] as? String == "violence")
        // The spoiled crisis is due first; the sound one still escalates to the backup.
        let escalated = await eventually(timeout: 8) {
            scenario.receiver.deliveries.contains {
                $0.json["reference"] as? String == sound && $0.json["recipient"] as? String == "bo"
            }
        }
        #expect(escalated, "\(scenario.daemon.log)")
        #expect(
            !scenario.receiver.deliveries.contains { $0.json["category"] as? String == "other" },
            "the spoiled crisis is never paged as some other category")
    }
}
