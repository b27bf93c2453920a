import Foundation
import GRDB
import Testing

/// A 500 says what is true about what was kept: "nothing was recorded" only where the failure
/// rolled the write back, and "was recorded" where it came after the commit.
@Suite struct InternalErrorTests {
    /// A second connection to the daemon's database, for a test to break things the daemon then meets.
    func database(_ scenario: Scenario) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: scenario.daemon.databasePath, configuration: configuration)
    }

    @Test func aFailureAfterAMilestoneIsCommittedSaysItWasRecordedNotThatNothingWas() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        // The milestone commits, and with it a clock of a kind crisisd cannot read: reading the crisis back fails.
        try await database(scenario).write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER spoil_after_milestone AFTER INSERT ON milestone BEGIN
                        INSERT INTO clock (crisis_id, kind, started_at, due_at)
                        VALUES (NEW.crisis_id, 'lunch', '2999-01-01 00:00:00.000', '2999-01-01 00:00:00.000');
                    END
                    """)
        }

        let answer = try await scenario.daemon.control(
            "POST", "/v1/crises/\(reference)/milestones", json: #"{"milestone":"contacted","by":"anna"}"#
        ).reply()
        #expect(answer.status == 500)
        let error = try #require(answer.json["error"] as? String, "\(answer.text)")
        #expect(!error.contains("nothing was recorded"), "\(error)")
        #expect(error.contains("contacted") && error.contains("was recorded"), "\(error)")
        #expect(error.contains("crisisctl status \(reference)"), "\(error)")
        let kept = try await database(scenario).read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT milestone.kind FROM milestone JOIN crisis ON crisis.id = milestone.crisis_id WHERE reference = ?",
                arguments: [reference])
        }
        #expect(kept == ["contacted"], "the milestone the 500 was about is in the database")
    }

    @Test func aFailedIntakeTransactionStillSaysNothingWasRecorded() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        try await database(scenario).write { db in
            try db.execute(
                sql:
                    "CREATE TRIGGER refuse_crises BEFORE INSERT ON crisis BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        }
        let answer = try await scenario.daemon.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00"}"#
        ).reply()
        #expect(answer.status == 500)
        #expect((answer.json["error"] as? String)?.contains("nothing was recorded") == true, "\(answer.text)")
        #expect(
            try await database(scenario).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM crisis") } == 0)
    }
}
