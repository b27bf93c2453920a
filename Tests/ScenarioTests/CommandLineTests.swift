import CrisisTesting
import Foundation
import Testing

/// crisisctl as a leader and an administrator meet it, with and without a daemon.
@Suite struct CommandLineTests {
    func writeConfig(_ text: String) throws -> String {
        let path = TestFolder.unique("crisisctl", suffix: ".toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let minimal = """
        timezone = "Europe/Oslo"
        state_dir = "/tmp/crisisd-never-started"

        [control]
        socket = "/tmp/crisisd-no-such-daemon.sock"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4720000001"
        contacts = ["console"]

        [[channels]]
        id = "console"
        type = "console"

        [[rotations]]
        id = "chiefs"
        members = ["anna"]
        start = "2026-01-05T08:00"
        shift = "7d"

        [escalation]
        steps = ["rotation:chiefs"]
        """

    @Test func triggerWithTheDaemonDownSaysNothingWasRecordedAndWhomToPhone() throws {
        let path = try writeConfig(Self.minimal)
        let result = try runCommand(
            Binaries.crisisctl,
            ["trigger", "--config", path, "--category", "violence", "--site", "Depot", "--callback", "+4712345678"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("crisisd is not reachable"))
        #expect(result.stderr.contains("THE CRISIS WAS NOT RECORDED"))
        #expect(result.stderr.contains("Anna Holm  +4720000001"))
    }

    @Test func oncallAnswersFromTheConfigWhenTheDaemonIsDown() throws {
        let path = try writeConfig(Self.minimal)
        let result = try runCommand(
            Binaries.crisisctl, ["oncall", "--config", path, "--at", "2026-03-10 09:00", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("answering from"))
        let view = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let entry = (view?["rotations"] as? [[String: Any]])?.first
        let primary = entry?["primary"] as? [String: Any]
        #expect(primary?["id"] as? String == "anna")
        #expect(primary?["phone"] as? String == "+4720000001")
        #expect(
            primary?["since"] as? String == "2026-01-05T07:00:00Z",
            "anna alone has been on duty since the start, Monday 08:00 in Oslo")
    }

    @Test func checkConfigListsEveryProblemWithItsPlaceAndTheDaemonRefusesTheSameFile() throws {
        let broken = Self.minimal
            .replacingOccurrences(of: #"contacts = ["console"]"#, with: #"contacts = ["sms"]"#)
            .replacingOccurrences(of: #"shift = "7d""#, with: #"shift = "weekly""#)
        let path = try writeConfig(broken)
        let check = try runCommand(Binaries.crisisctl, ["check-config", "--config", path])
        #expect(check.status == 1)
        #expect(check.stdout.contains(#"people[0].contacts[0]: unknown channel "sms""#))
        #expect(check.stdout.contains(#"rotations[0].shift: "weekly" is not a duration"#))

        let daemon = try runCommand(Binaries.crisisd, ["--config", path])
        #expect(daemon.status == 78)
        #expect(daemon.stderr.contains(#"people[0].contacts[0]: unknown channel "sms""#))
    }

    @Test func checkConfigAcceptsTheShippedExample() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Deploy/crisisd.example.toml").path
        let check = try runCommand(Binaries.crisisctl, ["check-config", "--config", example])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("OK"))
    }

    @Test func theConfigOptionMayComeBeforeTheSubcommand() throws {
        let path = try writeConfig(Self.minimal)
        for arguments in [["--config", path, "check-config"], ["--config=\(path)", "check-config"]] {
            let check = try runCommand(Binaries.crisisctl, arguments)
            #expect(check.status == 0, "\(arguments): \(check.stderr)")
            #expect(check.stdout.contains("\(path): OK"))
        }
    }

    @Test func theConfigPathComesFromTheEnvironmentWhenNotGiven() throws {
        let path = try writeConfig(Self.minimal)
        var environment = ProcessInfo.processInfo.environment
        environment["CRISISD_CONFIG"] = path
        let check = try runCommand(Binaries.crisisctl, ["check-config"], environment: environment)
        #expect(check.status == 0)
        #expect(check.stdout.contains(path))
    }
}
