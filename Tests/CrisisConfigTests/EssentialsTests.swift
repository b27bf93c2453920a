import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// What crisisctl can still read from a file that does not load, so a leader is never left
/// without a socket to try or a number to phone.
struct EssentialsTests {
    @Test func aFileThatIsNotTOMLGivesNothingUnlessSalvagingIsAskedFor() throws {
        let path = Fixture.path("malformed-triple-bracket.toml")
        #expect(ConfigLoader.essentials(path: path) == nil)
        let salvaged = try #require(ConfigLoader.essentials(path: path, salvagingBrokenTOML: true))
        // The broken header between anna's id and her name does not hide her number.
        #expect(salvaged.people.map(\.name) == ["Anna Holm"])
        #expect(salvaged.people.map(\.phone) == ["+4520000001"])
        #expect(salvaged.controlSocket == "/run/crisisd/control.sock")
    }

    @Test func aTOMLFileWithProblemsKeepsItsSocketTimeZoneAndPeople() throws {
        let essentials = try #require(ConfigLoader.essentials(path: Fixture.path("bad-person-channel.toml")))
        #expect(essentials.timeZone.identifier == "Europe/Copenhagen")
        #expect(essentials.people.map(\.phone) == ["+4520000001", "+4520000002", "+4520000003"])
    }

    @Test func salvagingReadsTheControlSocketAndSkipsImplausibleNumbers() throws {
        let path = NSTemporaryDirectory() + "crisisd-salvage-\(UInt64.random(in: 0...UInt64.max)).toml"
        try """
        timezone = "Europe/Oslo"
        [control]
        socket = "/run/crisis/other.sock"
        [[people]]
        id = "bo"
        phone = "call me"
        [[people]]
        id = "carl"
        name = 'Carl Lund'
        phone = "+47 20 00 00 03"
        contacts = ["console"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let salvaged = try #require(ConfigLoader.essentials(path: path, salvagingBrokenTOML: true))
        #expect(salvaged.controlSocket == "/run/crisis/other.sock")
        #expect(salvaged.timeZone.identifier == "Europe/Oslo")
        #expect(salvaged.people.map(\.name) == ["Carl Lund"])
    }
}
