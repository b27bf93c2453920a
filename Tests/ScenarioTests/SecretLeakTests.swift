import Foundation
import GRDB
import Testing

/// A webhook URL's path and query, and a channel's signing secret, never reach what the daemon
/// shows or logs: the crisis's `last_error`, `crisisctl status`, the journal, the log.
@Suite struct SecretLeakTests {
    static let marker = "leakcheck7f3a"

    @Test func aPageThatCannotBeDeliveredLeavesNoSecretInTheCrisisTheJournalOrTheLog() async throws {
        // Nothing listens on port 1 of loopback: every attempt fails, then the page is given up.
        let scenario = try await Scenario.start(
            backoff: "100ms",
            webhookURL:
                "http://hook-user:\(Self.marker)@127.0.0.1:1/hooks/\(Self.marker)?token=\(Self.marker)#\(Self.marker)")
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        let gaveUp = await eventually {
            (try? scenario.daemon.ctl(["journal", "--crisis", reference, "--json"]).stdout.contains("page.gave_up"))
                == true
        }
        #expect(gaveUp)

        let crisis = try await scenario.daemon.request("GET", "/v1/crises/\(reference)").reply()
        let lastError = try #require((crisis.json["pages"] as? [[String: Any]])?.first?["last_error"] as? String)
        #expect(lastError.contains("http://127.0.0.1:1"), "the error still says where the page went: \(lastError)")
        let status = try scenario.daemon.ctl(["status", reference])
        let journal = try scenario.daemon.ctl(["journal", "--crisis", reference, "--json"])
        for (name, text) in [
            ("the crisis", crisis.text), ("crisisctl status", status.stdout), ("the journal", journal.stdout),
            ("the log", scenario.daemon.log),
        ] {
            #expect(!text.contains(Self.marker), "\(name) names the URL's secret parts: \(text)")
            #expect(!text.contains(TestDaemon.secret), "\(name) names the signing secret: \(text)")
        }
    }

    @Test func anErrorStoredWithItsURLBeforeRedactionIsRedactedWhenShown() async throws {
        let scenario = try await Scenario.start(backoff: "100ms", webhookURL: "http://127.0.0.1:1/pages")
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        _ = await eventually {
            (try? scenario.daemon.ctl(["journal", "--crisis", reference, "--json"]).stdout.contains("page.gave_up"))
                == true
        }
        // As an older crisisd stored them: the whole URL in last_error and in the journal.
        let leaked = "https://hooks.slack.com/services/T0/B0/\(Self.marker): Couldn't connect to server"
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        try await DatabaseQueue(path: scenario.daemon.databasePath, configuration: configuration).write { db in
            try db.execute(sql: "UPDATE page SET last_error = ?", arguments: [leaked])
            try db.execute(
                sql: """
                    INSERT INTO journal (at, reference, crisis_id, kind, actor, data)
                    VALUES ('2026-11-18 08:00:00.000', ?1, (SELECT id FROM crisis WHERE reference = ?1), 'page.failed',
                        'crisisd', json_object('reason', ?2))
                    """,
                arguments: [reference, leaked])
        }

        let crisis = try await scenario.daemon.request("GET", "/v1/crises/\(reference)").reply()
        let lastError = try #require((crisis.json["pages"] as? [[String: Any]])?.first?["last_error"] as? String)
        #expect(lastError == "https://hooks.slack.com: Couldn't connect to server")
        let journal = try scenario.daemon.ctl(["journal", "--crisis", reference, "--json"])
        #expect(journal.status == 0, "\(journal.stderr)")
        #expect(!journal.stdout.contains(Self.marker), "\(journal.stdout)")
        #expect(
            try scenario.daemon.ctl(["status", reference]).stdout.contains(
                "last error: https://hooks.slack.com: Couldn't"))
    }
}
