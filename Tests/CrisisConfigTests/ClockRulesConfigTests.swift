import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// `[clocks]` as rules: today's keys are shorthand for the default rules, a table states a rule
/// key by key, and every mistake is named with its place.
struct ClockRulesConfigTests {
    /// Loads the smallest valid config with `clocks` as its `[clocks]` section.
    static func load(_ clocks: String) throws(ConfigErrors) -> Config {
        let path = NSTemporaryDirectory() + "crisisd-clocks-\(UInt64.random(in: 0...UInt64.max)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = """
            [[channels]]
            id = "console"
            type = "console"

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+4520000001"
            contacts = ["console"]

            [escalation]
            steps = ["person:anna"]

            \(clocks)
            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    static func issues(_ clocks: String) -> [ConfigIssue] {
        do {
            _ = try load(clocks)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func theShorthandKeysSetTheDefaultRulesDeadlinesAndNothingElse() throws {
        let config = try Self.load(
            """
            [clocks]
            ack = "2m"
            contact = "30m"
            onsite = "3h"
            warn_before = "10m"
            contact_applies_to = "individual"
            """)
        #expect(
            config.clocks
                == ClockPolicy(
                    ack: TimeSpan(seconds: 120), contact: TimeSpan(seconds: 1800), onsite: TimeSpan(seconds: 3 * 3600),
                    warnBefore: TimeSpan(seconds: 600), contactAppliesToGroups: false))
        #expect(config.escalation.steps.first?.wait == 120, "a plain step waits the acknowledgement's deadline")
    }

    @Test func aTableForADefaultRuleChangesOnlyTheKeysItGives() throws {
        let config = try Self.load(
            """
            [clocks.onsite]
            label = "arrival on site"
            waivable_by = ["chief"]
            """)
        var expected = try #require(ClockPolicy()["onsite"])
        expected.label = "arrival on site"
        expected.waivableBy = ["chief"]
        #expect(config.clocks["onsite"] == expected)
        #expect(config.clocks.rules.map(\.name) == ["ack", "contact", "onsite", "leader_informed"])
    }

    @Test func aNewClockIsARuleOfItsOwnAfterTheDefaults() throws {
        let config = try Self.load(
            """
            [clocks]
            warn_before = "20m"

            [clocks.arrival]
            label = "arrival after dispatch"
            starts = "dispatched"
            stops = "onsite"
            deadline = "90m"
            notify = ["breach"]
            groups = false
            waivable = true
            """)
        #expect(config.clocks.rules.map(\.name) == ["ack", "contact", "onsite", "leader_informed", "arrival"])
        #expect(
            config.clocks["arrival"]
                == ClockRule(
                    name: "arrival", label: "arrival after dispatch", start: .milestone(.dispatched),
                    stop: .milestone(.onsite), deadline: .elapsed(TimeSpan(seconds: 5400)),
                    warnBefore: TimeSpan(seconds: 1200), audience: [.breach], appliesToGroups: false, waivableBy: []))
    }

    @Test func aClockWithoutWarningOrAudienceIsAllowed() throws {
        let config = try Self.load(
            """
            [clocks.report]
            stops = "resolved"
            deadline = "2d"
            warn_before = "none"
            notify = []
            """)
        let report = try #require(config.clocks["report"])
        #expect(report.warnBefore == nil && report.audience.isEmpty && report.waivableBy == nil)
        #expect(report.label == "report" && report.start == .intake)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var clocks: String
        var place: String
        var message: String
        var testDescription: String { "\(place): \(message)" }
    }

    static let mistakes: [Case] = [
        Case(
            clocks: "[clocks]\nlunch = \"1h\"", place: "clocks.lunch", message: "unknown clock: a new clock is a table"),
        Case(
            clocks: "[clocks.Lunch]\nstops = \"onsite\"\ndeadline = \"1h\"", place: "clocks.Lunch",
            message: "is not a clock name"),
        Case(clocks: "[clocks.arrival]\ndeadline = \"1h\"", place: "clocks.arrival.stops", message: "is required"),
        Case(clocks: "[clocks.arrival]\nstops = \"onsite\"", place: "clocks.arrival.deadline", message: "is required"),
        Case(
            clocks: "[clocks.arrival]\nstops = \"arrived\"\ndeadline = \"1h\"", place: "clocks.arrival.stops",
            message: "\"arrived\" is not one of acknowledgement, contacted, dispatched, onsite, resolved"),
        Case(
            clocks: "[clocks.arrival]\nstarts = \"resolved\"\nstops = \"onsite\"\ndeadline = \"1h\"",
            place: "clocks.arrival.starts", message: "\"resolved\" is not one of intake, contacted, dispatched, onsite"),
        Case(
            clocks: "[clocks.arrival]\nstarts = \"onsite\"\nstops = \"onsite\"\ndeadline = \"1h\"",
            place: "clocks.arrival.stops", message: "a clock cannot stop at the milestone that starts it"),
        Case(
            clocks: "[clocks.arrival]\nstarts = \"dispatched\"\nstops = \"acknowledgement\"\ndeadline = \"1h\"",
            place: "clocks.arrival.starts", message: "a clock stopped by the acknowledgement starts at intake"),
        Case(
            clocks: "[clocks.arrival]\nstops = \"onsite\"\ndeadline = \"0s\"", place: "clocks.arrival.deadline",
            message: "\"0s\" is not a duration"),
        Case(clocks: "[clocks]\ncontact = \"0s\"", place: "clocks.contact", message: "\"0s\" is not a duration"),
        Case(
            clocks: "[clocks.arrival]\nstops = \"onsite\"\ndeadline = \"1h\"\nwarn_before = \"2h\"",
            place: "clocks.arrival.warn_before", message: "(2h) must be shorter than the deadline (1h)"),
        Case(
            clocks: "[clocks.arrival]\nstops = \"onsite\"\ndeadline = \"10m\"", place: "clocks.warn_before",
            message: "(15m) must be shorter than arrival (10m), or give [clocks.arrival] its own warn_before"),
        Case(
            clocks: "[clocks.arrival]\nstops = \"onsite\"\ndeadline = \"1h\"\nwarn_before = \"5m\"\nnotify = []",
            place: "clocks.arrival.warn_before", message: "warns no one"),
        Case(
            clocks: "[clocks.arrival]\nstops = \"onsite\"\ndeadline = \"1h\"\nnotify = [\"boss\"]",
            place: "clocks.arrival.notify[0]", message: "\"boss\" is not one of responder, breach"),
        Case(
            clocks: "[clocks.onsite]\nwaivable_by = [\"boss\"]", place: "clocks.onsite.waivable_by[0]",
            message: "\"boss\" is not a role (one of chief, crisis, lead)"),
        Case(clocks: "[clocks.onsite]\ndeadlin = \"1h\"", place: "clocks.onsite.deadlin", message: "unknown key"),
        Case(clocks: "[clocks]\nonsite = true", place: "clocks.onsite", message: "must be a string, not a boolean"),
    ]

    @Test(arguments: mistakes)
    func aMistakeInARuleIsNamedWithItsPlace(_ mistake: Case) {
        let issues = Self.issues(mistake.clocks)
        #expect(
            issues.contains { $0.place == mistake.place && $0.message.contains(mistake.message) },
            "expected \(mistake.place): …\(mistake.message)…, got:\n\(ConfigErrors(issues))")
    }

    @Test func aKeyThatIsNoClockNameIsReportedOnceNotAgainAsAnUnknownKey() {
        let issues = Self.issues("[clocks.Lunch]\nstops = \"onsite\"\ndeadline = \"1h\"")
        #expect(issues.filter { $0.place == "clocks.Lunch" }.count == 1, "\(ConfigErrors(issues))")
    }
}
