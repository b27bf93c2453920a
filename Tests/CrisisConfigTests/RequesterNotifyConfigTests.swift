import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// `[[requesters]] notify`: the channel on which the leader hears back, and what it needs.
struct RequesterNotifyConfigTests {
    static let hash = String(repeating: "ab", count: 32)

    static func load(_ requester: String) throws(ConfigErrors) -> Config {
        let path = NSTemporaryDirectory() + "crisisd-notify-\(UInt64.random(in: 0...UInt64.max)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = """
            [[channels]]
            id = "sms"
            type = "sms"
            flavour = "twilio"
            account_sid = "AC0123456789abcdef0123456789abcdef"
            auth_token = "secret"
            from = "+4570000000"

            [[channels]]
            id = "mail"
            type = "email"
            url = "smtp://127.0.0.1:2525"
            from = "crisisd@example.org"

            [[channels]]
            id = "hook"
            type = "webhook"
            url = "https://hooks.example.org/crisis"
            secret = "whsec_Y3Jpc2lzZC10ZXN0LXNpZ25pbmcta2V5LTMyLWJ5dGU="

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+4520000001"
            contacts = ["sms"]

            [escalation]
            steps = ["person:anna"]

            [[requesters]]
            id = "glostrup"
            token_sha256 = "\(hash)"
            \(requester)
            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    @Test func receiptsGoOnTheNamedChannelAndDrillsGetThemOnlyWhenAsked() throws {
        let plain = try #require(try Self.load("").requesters.first)
        #expect(plain.notify == nil && plain.receiptChannel(drill: false) == nil)

        let sms = try #require(try Self.load(#"notify = "sms""#).requesters.first)
        #expect(sms.receiptChannel(drill: false) == "sms")
        #expect(sms.receiptChannel(drill: true) == nil, "off for drills by default")

        let drills = try #require(try Self.load("notify = \"sms\"\nnotify_drills = true").requesters.first)
        #expect(drills.receiptChannel(drill: true) == "sms")

        let mail = try #require(try Self.load("notify = \"mail\"\nemail = \"leaders@glostrup.dk\"").requesters.first)
        #expect(mail.notify == "mail" && mail.email == "leaders@glostrup.dk")
    }

    @Test(arguments: [
        (#"notify = "pager""#, "requesters[0].notify", #""pager" is not a channel (the channels: sms, mail, hook)"#),
        (#"notify = "hook""#, "requesters[0].notify", "must be an sms, email or console channel"),
        (#"notify = "mail""#, "requesters[0].email", #"is required: receipts go to the e-mail channel "mail""#),
        ("notify = \"mail\"\nemail = \"leaders\"", "requesters[0].email", "is not an e-mail address"),
        ("notify_drills = \"yes\"", "requesters[0].notify_drills", "must be true or false"),
    ])
    func aMistakeIsNamedWithItsPlace(requester: String, place: String, message: String) {
        do {
            _ = try Self.load(requester)
            Issue.record("loaded")
        } catch {
            #expect(
                error.issues.contains { $0.place == place && $0.message.contains(message) },
                "\(ConfigErrors(error.issues))")
        }
    }
}
