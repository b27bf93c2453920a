import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// `Deploy/crisisd.example.toml` is what operators copy: it must load and say what its comments say.
struct ExampleConfigTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CrisisConfigTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Deploy/crisisd.example.toml").path

    func load() throws -> Config {
        do {
            return try ConfigLoader.load(path: Self.path)
        } catch {
            Issue.record("the example config has issues:\n\(error)")
            throw error
        }
    }

    @Test func theExampleLoadsWithNoIssues() throws {
        _ = try load()
    }

    @Test func theExampleHasTheDocumentedValues() throws {
        let config = try load()
        #expect(config.timeZone.identifier == "Europe/Copenhagen")
        #expect(config.clocks["ack"]?.deadline.description == "5m")
        #expect(config.clocks["contact"]?.deadline.description == "1h")
        #expect(config.clocks["onsite"]?.deadline.description == "4h")
        #expect(config.clocks["contact"]?.warnBefore?.description == "15m")
        #expect(config.clocks["onsite"]?.warnBefore?.description == "15m")
        #expect(config.clocks["contact"]?.appliesToGroups == true)
        #expect(config.clocks == ClockPolicy(), "the example states the defaults")
        #expect(
            config.escalation.steps.map(\.targets) == [
                [.rotation("chiefs")], [.rotationBackup("chiefs")], [.person("lead")],
            ])
        #expect(config.escalation.steps.map(\.wait) == [300, 300, 300])
        #expect(config.escalation.repeats == 1)
        #expect(config.escalation.breachTargets == [.person("lead")])
        #expect(config.escalation.exhaustedTargets == [.person("lead")])
        #expect(config.http.host == "127.0.0.1")
        #expect(config.http.port == 8470)
        #expect(config.http.publicURL == "http://127.0.0.1:8470")
        #expect(config.delivery.retry == RetryPolicy(maxAttempts: 10, initialBackoff: 2, maxBackoff: 300))
        #expect(config.delivery.timeout == 10)
    }

    @Test func theExampleRotaIsAnnaAndBoWeeklyFromNovember() throws {
        let config = try load()
        #expect(config.people.map(\.id) == ["anna", "bo", "carl", "lead"])
        #expect(config.person("carl")?.roles == ["chief", "crisis"])
        #expect(config.channels.map(\.id) == ["console", "pages"])
        let chiefs = try #require(config.rotations.first { $0.id == "chiefs" })
        #expect(chiefs.members == ["anna", "bo"])
        #expect(chiefs.start.description == "2026-11-02T08:00")
        #expect(chiefs.shift?.wholeDays == 7)
        #expect(chiefs.backup == "backup-chiefs")
        #expect(config.requesters.map(\.id) == ["albertslund"])
    }
}
