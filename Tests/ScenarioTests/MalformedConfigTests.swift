import Foundation
import Testing

/// A config file that is not TOML at all: every executable says where, none of them crashes,
/// and a leader raising a crisis is never left without a number to phone.
@Suite struct MalformedConfigTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let line: String
        var testDescription: String { line }
    }

    /// Lines that once made the TOML library abort the process, and other ways to break a file.
    static let cases: [Case] = [
        "[[[x", "[", "[!]", "[.]", "[..]", "[]", "[http", "[[people]", "[[people]] x", #"phone = "+47"#,
        "phone = '+47", #"name = """Anna"#, #"contacts = ["console" "sms"]"#, "max_attempts = 10 20", "timezone",
        "x = " + String(repeating: "[", count: 5000),
    ].map(Case.init)

    /// `minimal` with `bad` as its line 9, inside anna's table.
    static func file(with bad: String) -> String {
        var lines = CommandLineTests.minimal.components(separatedBy: "\n")
        lines.insert(bad, at: 8)
        return lines.joined(separator: "\n")
    }

    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "crisisd-malformed-\(UUID().uuidString.prefix(8)).toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: cases)
    func checkConfigAndTheDaemonSayTheFileIsNotValidTOMLAtItsLineAndDoNotCrash(_ bad: Case) throws {
        let path = try write(Self.file(with: bad.line))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let check = try runCommand(Binaries.crisisctl, ["check-config", "--config", path])
        #expect(
            check.signal == nil, "crisisctl check-config was killed by signal \(check.signal ?? 0): \(check.stderr)")
        #expect(check.status == 1)
        #expect(check.stdout.contains("line 9: not valid TOML"), "\(check.stdout)")

        let daemon = try runCommand(Binaries.crisisd, ["--config", path])
        #expect(daemon.signal == nil, "crisisd was killed by signal \(daemon.signal ?? 0): \(daemon.stderr)")
        #expect(daemon.status == 78)
        #expect(daemon.stderr.contains("line 9: not valid TOML"), "\(daemon.stderr)")

        let status = try runCommand(Binaries.crisisctl, ["status", "--config", path])
        #expect(status.signal == nil, "crisisctl status was killed by signal \(status.signal ?? 0): \(status.stderr)")
        #expect(status.status == 78)
        #expect(status.stderr.contains("line 9: not valid TOML"), "\(status.stderr)")
    }

    @Test func triggerWithAMalformedFileAndTheDaemonDownStillPrintsThePhoneNumbersInIt() throws {
        let path = try write(Self.file(with: "[[[x"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runCommand(
            Binaries.crisisctl,
            ["trigger", "--config", path, "--category", "violence", "--site", "Depot", "--callback", "+4712345678"])
        #expect(result.signal == nil, "crisisctl trigger was killed by signal \(result.signal ?? 0)")
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("line 9: not valid TOML"))
        #expect(result.stderr.contains("THE CRISIS WAS NOT RECORDED"))
        #expect(result.stderr.contains("Anna Holm  +4720000001"), "\(result.stderr)")
    }

    @Test func triggerWithAFileWithNoPhoneNumberLeftSaysPlainlyItHasNone() throws {
        let path = try write("[[[x\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runCommand(
            Binaries.crisisctl,
            ["trigger", "--config", path, "--category", "violence", "--site", "Depot", "--callback", "+4712345678"])
        #expect(result.signal == nil)
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("THE CRISIS WAS NOT RECORDED"))
        #expect(result.stderr.contains("no phone number could be read from the config"), "\(result.stderr)")
    }
}
