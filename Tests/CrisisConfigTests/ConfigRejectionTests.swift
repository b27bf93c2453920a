import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// Each `bad-*.toml` fixture spoils one thing of `good-full.toml`; loading must say what and where.
struct ConfigRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let place: String
        let message: String
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "bad-toml-syntax.toml", place: "line 5", message: "not valid TOML"),
        Case(file: "bad-timezone.toml", place: "timezone", message: "\"Europe/Copenhagn\" is not an IANA time zone"),
        Case(file: "bad-unknown-key.toml", place: "timezon", message: "unknown key"),
        Case(file: "bad-unknown-http-key.toml", place: "http.listne", message: "unknown key"),
        Case(file: "bad-listen.toml", place: "http.listen", message: "\"localhost\" is not HOST:PORT"),
        Case(file: "bad-metrics-token.toml", place: "http.metrics_token_sha256", message: "must be 64 hex digits"),
        Case(file: "bad-listen-port.toml", place: "http.listen", message: "\"127.0.0.1:84700\" is not HOST:PORT"),
        Case(
            file: "bad-public-url.toml", place: "http.public_url",
            message: "\"crisis.example.org\" must start with http:// or https://"),
        Case(file: "bad-clock-duration.toml", place: "clocks.contact", message: "\"1 hour\" is not a duration"),
        Case(file: "bad-type-clock.toml", place: "clocks.ack", message: "must be a string, not a number"),
        Case(
            file: "bad-warn-before.toml", place: "clocks.warn_before", message: "(1h) must be shorter than contact (1h)"
        ),
        Case(
            file: "bad-contact-applies-to.toml", place: "clocks.contact_applies_to",
            message: "\"groups\" is not one of all, individual"),
        Case(
            file: "bad-backoff.toml", place: "delivery.backoff_max", message: "must not be shorter than backoff_initial"
        ),
        Case(
            file: "bad-type-max-attempts.toml", place: "delivery.max_attempts",
            message: "must be a whole number, not a string"),
        Case(file: "bad-person-channel.toml", place: "people[2].contacts[0]", message: "unknown channel \"sms\""),
        Case(file: "bad-person-phone.toml", place: "people[0].phone", message: "\"call me\" is not a phone number"),
        Case(file: "bad-duplicate-person.toml", place: "people[2].id", message: "duplicate person id \"anna\""),
        Case(file: "bad-person-name.toml", place: "people[2].name", message: "is required"),
        Case(
            file: "bad-type-people.toml", place: "people",
            message: "must be a list of tables ([[people]]), not a string"),
        Case(
            file: "bad-channel-type.toml", place: "channels[1].type",
            message: "\"pager\" is not one of webhook, ntfy, sms, voice, email, console"),
        Case(file: "bad-webhook-no-url.toml", place: "channels[1].url", message: "is required"),
        Case(
            file: "bad-webhook-secret.toml", place: "channels[1].secret",
            message: "must be a Standard Webhooks secret: whsec_ and 24 to 64 random bytes in base64"),
        Case(file: "bad-rotation-member.toml", place: "rotations[0].members[1]", message: "unknown person \"zoe\""),
        Case(
            file: "bad-rotation-start.toml", place: "rotations[0].start",
            message: "\"2026-02-30T08:00\" is not a local time"),
        Case(
            file: "bad-rotation-start-unquoted.toml", place: "rotations[0].start",
            message: "must be a quoted local time"),
        Case(file: "bad-rotation-shift.toml", place: "rotations[0].shift", message: "\"weekly\" is not a duration"),
        Case(file: "bad-rotation-shift-short.toml", place: "rotations[0].shift", message: "must be at least 1m"),
        Case(
            file: "bad-backup-rotation.toml", place: "rotations[0].backup",
            message: "unknown rotation or schedule \"seniors\""),
        Case(
            file: "bad-self-backup.toml", place: "rotations[0].backup", message: "a rotation cannot be its own backup"),
        Case(file: "bad-escalation-missing.toml", place: "escalation", message: "is required"),
        Case(file: "bad-escalation-empty.toml", place: "escalation.steps", message: "must be a non-empty list"),
        Case(
            file: "bad-escalation-rotation.toml", place: "escalation.steps[0]",
            message: "unknown rotation \"medics\" in \"rotation:medics\""),
        Case(
            file: "bad-escalation-person.toml", place: "escalation.steps[1].notify",
            message: "unknown person \"zoe\" in \"person:zoe\""),
        Case(
            file: "bad-escalation-no-backup.toml", place: "escalation.steps[1]",
            message: "rotation \"chiefs\" has no backup for \"rotation:chiefs:backup\""),
        Case(file: "bad-escalation-target.toml", place: "escalation.steps[0]", message: "\"chiefs\" is not a target"),
        Case(file: "bad-requester-token.toml", place: "requesters[0].token_sha256", message: "must be 64 hex digits"),
    ]

    @Test func theFileEveryBadFixtureSpoilsLoads() throws {
        let config = try ConfigLoader.load(path: Fixture.path("good-full.toml"))
        #expect(config.timeZone.identifier == "Europe/Copenhagen")
        #expect(config.people.map(\.id) == ["anna", "bo", "carl"])
        #expect(config.rotations.map(\.id) == ["chiefs"])
        #expect(config.requesters.map(\.id) == ["albertslund"])
    }

    @Test func everyBadFixtureHasACase() {
        let bad = Fixture.names.filter { $0.hasPrefix("bad-") }
        #expect(bad.count == Self.cases.count)
        #expect(Set(bad) == Set(Self.cases.map(\.file)))
    }

    @Test(arguments: cases)
    func aBadFileFailsToLoadAndSaysWhereAndWhy(_ bad: Case) {
        let issues = Fixture.issues(bad.file)
        #expect(!issues.isEmpty, "\(bad.file) loaded")
        #expect(
            issues.contains { $0.place == bad.place && $0.message.contains(bad.message) },
            "expected \(bad.place): …\(bad.message)…, got:\n\(ConfigErrors(issues))")
    }

    @Test func anIssueReadsAsPlaceColonMessage() {
        let issues = Fixture.issues("bad-person-channel.toml")
        #expect(issues.map(\.description) == ["people[2].contacts[0]: unknown channel \"sms\""])
    }

    @Test func aFileWithSeveralProblemsReportsThemAllAtOnce() {
        let issues = Fixture.issues("several-problems.toml")
        let expected: [(String, String)] = [
            ("timezone", "\"Mars/Olympus\" is not an IANA time zone"),
            ("http.listen", "\"localhost\" is not HOST:PORT"),
            ("delivery.max_attempts", "must be a whole number"),
            ("people[2].contacts[0]", "unknown channel \"sms\""),
            ("rotations[0].shift", "\"weekly\" is not a duration"),
            ("requesters[0].token_sha256", "must be 64 hex digits"),
            ("pager", "unknown key"),
        ]
        for (place, message) in expected {
            #expect(
                issues.contains { $0.place == place && $0.message.contains(message) },
                "missing \(place): \(message) in:\n\(ConfigErrors(issues))")
        }
        #expect(issues.count >= expected.count)
    }

    @Test func allTheIssuesAreInTheErrorTextOnePerLine() {
        do {
            _ = try ConfigLoader.load(path: Fixture.path("several-problems.toml"))
            Issue.record("several-problems.toml loaded")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines == error.issues.map(\.description))
            #expect(lines.contains("people[2].contacts[0]: unknown channel \"sms\""))
        }
    }

    @Test func aMissingFileIsReportedWithItsPath() {
        let path = "/nonexistent/crisisd-test/crisisd.toml"
        do {
            _ = try ConfigLoader.load(path: path)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues.first?.place == path)
            #expect(error.issues.first?.message.hasPrefix("cannot read the config file") == true)
        }
    }

    @Test func aWebhookWithABadURLAndAShortSecretReportsBoth() {
        let issues = Fixture.issues("webhook-url-and-secret.toml")
        #expect(
            issues.contains {
                $0.place == "channels[1].url" && $0.message.contains("must start with http:// or https://")
            })
        #expect(
            issues.contains {
                $0.place == "channels[1].secret" && $0.message.contains("must be a Standard Webhooks secret")
            })
    }

    @Test func aDuplicateChannelIdIsReportedWithoutCallingItsKeysUnknown() {
        let issues = Fixture.issues("duplicate-channel.toml")
        #expect(issues.contains { $0.place == "channels[1].id" && $0.message == "duplicate channel id \"console\"" })
        #expect(issues.map(\.description) == ["channels[1].id: duplicate channel id \"console\""])
    }
}
