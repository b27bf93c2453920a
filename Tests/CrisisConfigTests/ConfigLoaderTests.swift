import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// What a valid file loads as, and what is assumed when a section is left out.
struct ConfigLoaderTests {
    @Test func aMinimalFileLoadsWithEveryDefault() throws {
        let config = try ConfigLoader.load(path: Fixture.path("good-minimal.toml"))
        // Foundation on Linux calls TimeZone(identifier: "UTC") "GMT": compare zones, not names.
        #expect(config.timeZone == TimeZone(identifier: "UTC"))
        #expect(config.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_800_000_000)) == 0)
        #expect(config.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_790_000_000)) == 0)
        #expect(config.stateDir == "/var/lib/crisisd")
        #expect(config.databasePath == "/var/lib/crisisd/crisisd.sqlite")
        #expect(config.http.host == "127.0.0.1")
        #expect(config.http.port == 8470)
        #expect(config.http.publicURL == "http://127.0.0.1:8470")
        #expect(config.http.maxBodyBytes == 65_536)
        #expect(config.controlSocket == "/run/crisisd/control.sock")
        #expect(config.clocks == ClockPolicy())
        #expect(config.clocks["ack"]?.deadline == .elapsed(TimeSpan(seconds: 300)))
        #expect(config.clocks["contact"]?.deadline == .elapsed(TimeSpan(seconds: 3600)))
        #expect(config.clocks["onsite"]?.deadline == .elapsed(TimeSpan(seconds: 4 * 3600)))
        #expect(config.clocks["contact"]?.warnBefore?.seconds == 900)
        #expect(config.clocks["onsite"]?.warnBefore?.seconds == 900)
        #expect(config.clocks["contact"]?.appliesToGroups == true)
        #expect(config.delivery.retry == RetryPolicy(maxAttempts: 10, initialBackoff: 2, maxBackoff: 300))
        #expect(config.delivery.timeout == 10)
        #expect(config.rotations.isEmpty)
        #expect(config.requesters.isEmpty)
    }

    @Test func aMinimalFileKeepsWhatItSays() throws {
        let config = try ConfigLoader.load(path: Fixture.path("good-minimal.toml"))
        #expect(config.people == [Person(id: "anna", name: "Anna Holm", phone: "+4520000001", contacts: ["console"])])
        #expect(config.channels == [Channel(id: "console", kind: .console)])
        #expect(config.escalation.steps.map(\.targets) == [[.person("anna")]])
        #expect(config.escalation.steps.first?.wait == 300, "a plain step waits clocks.ack")
        #expect(config.escalation.repeats == 0)
        #expect(config.escalation.breachTargets.isEmpty && config.escalation.exhaustedTargets.isEmpty)
        #expect(config.person("anna")?.name == "Anna Holm")
        #expect(config.person("bo") == nil)
        #expect(config.channel("console")?.kind == .console)
    }

    static let minimalTail = """
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
        """

    @Test(arguments: [
        ("0.0.0.0:9000", "0.0.0.0", 9000, "http://0.0.0.0:9000"),
        ("[::1]:8470", "::1", 8470, "http://[::1]:8470"),
        ("crisis.internal:80", "crisis.internal", 80, "http://crisis.internal:80"),
    ])
    func thePublicURLIsDerivedFromListenWhenNotGiven(listen: String, host: String, port: Int, publicURL: String) throws
    {
        let config = try ConfigLoader.parse("[http]\nlisten = \"\(listen)\"\n\n" + Self.minimalTail)
        #expect(config.http.host == host)
        #expect(config.http.port == port)
        #expect(config.http.publicURL == publicURL)
    }

    @Test func aGivenPublicURLIsKept() throws {
        let config = try ConfigLoader.parse(
            "[http]\nlisten = \"0.0.0.0:9000\"\npublic_url = \"https://crisis.example.org/\"\n\n" + Self.minimalTail)
        #expect(config.http.publicURL == "https://crisis.example.org/")
    }

    @Test func aFullFileLoadsEverySection() throws {
        let config = try ConfigLoader.load(path: Fixture.path("good-full.toml"))
        #expect(config.timeZone.identifier == "Europe/Copenhagen")
        #expect(config.http.publicURL == "https://crisis.example.org")
        let chiefs = try #require(config.rotations.first)
        #expect(chiefs.members == ["anna", "bo"])
        #expect(chiefs.start == LocalDateTime(year: 2026, month: 11, day: 2, hour: 8))
        #expect(chiefs.shift?.wholeDays == 7)
        #expect(chiefs.backup == nil)
        #expect(config.escalation.steps.map(\.targets) == [[.rotation("chiefs")]])
        #expect(
            config.rota.onDuty(rotation: "chiefs", at: try Date("2026-11-09T07:00:00Z", strategy: .iso8601))?.person
                == "bo")
    }

    @Test func escalationStepsMayBeTablesWithAWait() throws {
        let text = Self.minimalTail.replacingOccurrences(
            of: "steps = [\"person:anna\"]",
            with: "steps = [\"person:anna\", { notify = [\"person:anna\"], wait = \"10m\" }]")
        let config = try ConfigLoader.parse(text)
        #expect(config.escalation.steps.count == 2)
        #expect(config.escalation.steps[1].targets == [.person("anna")])
        #expect(config.escalation.steps[1].wait == 600)
    }

    @Test func aRequesterHashIsStoredInLowerCase() throws {
        let config = try ConfigLoader.parse(
            Self.minimalTail
                + "\n\n[[requesters]]\nid = \"albertslund\"\ntoken_sha256 = \"79A4B502EC3EBAE3D25B2CA0AFAA4BCD8A60AE343A62052A3F576450A33EE67B\"\n"
        )
        #expect(
            config.requesters.first?.tokenSHA256s == [
                "79a4b502ec3ebae3d25b2ca0afaa4bcd8a60ae343a62052a3f576450a33ee67b"
            ])
    }
}
