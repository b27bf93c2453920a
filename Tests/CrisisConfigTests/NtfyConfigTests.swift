import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// `type = "ntfy"` channels and the addresses on `[[people]]` they and later channels page.
struct NtfyConfigTests {
    static func load(channel: String, person: String, contacts: String = #"["push"]"#) throws(ConfigErrors) -> Config {
        let path = NSTemporaryDirectory() + "crisisd-ntfy-\(UInt64.random(in: 0...UInt64.max)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = """
            [[channels]]
            id = "push"
            type = "ntfy"
            \(channel)

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+4520000001"
            contacts = \(contacts)
            \(person)

            [escalation]
            steps = ["person:anna"]
            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    @Test func anNtfyChannelAndAPersonsTopicAndEmailAreRead() throws {
        let config = try Self.load(
            channel: #"url = "https://ntfy.example.org"\#ntoken = "tk_abc123""#,
            person: #"ntfy_topic = "anna-pages"\#nemail = "anna@example.org""#)
        #expect(
            config.channels == [Channel(id: "push", kind: .ntfy(url: "https://ntfy.example.org", token: "tk_abc123"))])
        #expect(config.people.first?.ntfyTopic == "anna-pages")
        #expect(config.people.first?.email == "anna@example.org")
    }

    @Test func aTokenIsOptionalForAPublicServer() throws {
        let config = try Self.load(channel: #"url = "https://ntfy.sh""#, person: #"ntfy_topic = "anna-pages""#)
        #expect(config.channels.first?.kind == .ntfy(url: "https://ntfy.sh", token: nil))
    }

    @Test(arguments: [
        (
            #"url = "https://ntfy.sh""#, "", "people[0].ntfy_topic",
            "is required: contacts include the ntfy channel \"push\""
        ),
        (
            #"url = "https://ntfy.sh""#, #"ntfy_topic = "anna pages""#, "people[0].ntfy_topic",
            "must be 1 to 64 letters, digits, - or _"
        ),
        (
            #"url = "ntfy.sh""#, #"ntfy_topic = "anna""#, "channels[0].url",
            "\"ntfy.sh\" must start with http:// or https://"
        ),
        ("", #"ntfy_topic = "anna""#, "channels[0].url", "is required"),
        (
            #"url = "https://ntfy.sh"\#ntoken = "tk abc""#, #"ntfy_topic = "anna""#, "channels[0].token",
            "must be an access token"
        ),
        (
            #"url = "https://ntfy.sh""#, #"ntfy_topic = "anna"\#nemail = "anna.example.org""#, "people[0].email",
            "is not an e-mail address"
        ),
        (
            #"url = "https://ntfy.sh""#, #"ntfy_topic = "anna"\#ntoken_sha256 = "abc""#, "people[0].token_sha256",
            "must be 64 hex digits"
        ),
    ])
    func aMistakeIsNamedWithItsPlace(channel: String, person: String, place: String, message: String) {
        do {
            _ = try Self.load(channel: channel, person: person)
            Issue.record("loaded")
        } catch {
            #expect(
                error.issues.contains { $0.place == place && $0.message.contains(message) },
                "\(ConfigErrors(error.issues))")
        }
    }

    @Test func contactsAreChannelIdsOrRulesWithADelay() throws {
        let config = try Self.load(
            channel: #"url = "https://ntfy.sh""#,
            person: #"ntfy_topic = "anna""#,
            contacts: #"["push", { channel = "push", after = "90s" }, { channel = "push" }]"#)
        #expect(
            config.people.first?.contacts == [
                Contact(channel: "push"), Contact(channel: "push", after: 90), Contact(channel: "push"),
            ])
    }

    @Test(arguments: [
        (#"{ channel = "push", after = "soon" }"#, "people[0].contacts[0].after", "\"soon\" is not a duration"),
        (#"{ channel = "push", after = "2d" }"#, "people[0].contacts[0].after", "is longer than a day"),
        (#"{ channel = "sms", after = "1m" }"#, "people[0].contacts[0]", "unknown channel \"sms\""),
        (#"{ after = "1m" }"#, "people[0].contacts[0].channel", "is required"),
        (#"{ channel = "push", delay = "1m" }"#, "people[0].contacts[0].delay", "unknown key"),
        ("42", "people[0].contacts[0]", "must be a channel id or { channel, after }, not a number"),
    ])
    func aMistakeInAContactRuleIsNamedWithItsPlace(contact: String, place: String, message: String) {
        do {
            _ = try Self.load(
                channel: #"url = "https://ntfy.sh""#, person: #"ntfy_topic = "anna""#, contacts: "[\(contact)]")
            Issue.record("loaded")
        } catch {
            #expect(
                error.issues.contains { $0.place == place && $0.message.contains(message) },
                "\(ConfigErrors(error.issues))")
        }
    }
}
