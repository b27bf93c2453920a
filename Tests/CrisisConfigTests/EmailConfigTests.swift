import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// `type = "email"` channels, and the `email` address a person they page must have.
struct EmailConfigTests {
    static func load(channel: String, person: String) throws(ConfigErrors) -> Config {
        let path = NSTemporaryDirectory() + "crisisd-email-\(UInt64.random(in: 0...UInt64.max)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = """
            [[channels]]
            id = "mail"
            type = "email"
            \(channel)

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+4520000001"
            contacts = ["mail"]
            \(person)

            [escalation]
            steps = ["person:anna"]
            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    static let server = #"url = "smtp://mail.example.org:587""#
    static let sender = #"from = "crisisd@example.org""#
    static let address = #"email = "anna@example.org""#

    @Test func anEmailChannelWithALoginIsRead() throws {
        let config = try Self.load(
            channel: [
                Self.server, Self.sender, #"username = "crisisd""#, #"password = "s3cret-pw""#, "starttls = true",
            ]
            .joined(separator: "\n"),
            person: Self.address)
        #expect(
            config.channels == [
                Channel(
                    id: "mail",
                    kind: .email(
                        url: "smtp://mail.example.org:587", from: "crisisd@example.org", username: "crisisd",
                        password: "s3cret-pw", starttls: true))
            ])
        #expect(config.people.first?.email == "anna@example.org")
    }

    @Test func aLoginAndStartTLSAreOptional() throws {
        let config = try Self.load(
            channel: #"url = "smtps://mail.example.org""# + "\n" + Self.sender, person: Self.address)
        #expect(
            config.channels.first?.kind
                == .email(
                    url: "smtps://mail.example.org", from: "crisisd@example.org", username: nil, password: nil,
                    starttls: false))
    }

    @Test(arguments: [
        (
            Self.server + "\n" + Self.sender, "", "people[0].email",
            "is required: contacts include the e-mail channel \"mail\""
        ),
        (Self.sender, Self.address, "channels[0].url", "is required"),
        (
            #"url = "https://mail.example.org""# + "\n" + Self.sender, Self.address, "channels[0].url",
            "must start with smtp:// or smtps://"
        ),
        (#"url = "smtp://""# + "\n" + Self.sender, Self.address, "channels[0].url", "must name the server's host"),
        (Self.server, Self.address, "channels[0].from", "is required"),
        (Self.server + "\n" + #"from = "crisisd""#, Self.address, "channels[0].from", "must be an e-mail address"),
        (
            Self.server + "\n" + Self.sender + "\n" + #"username = "crisisd""#, Self.address, "channels[0].password",
            "is required with username"
        ),
        (
            Self.server + "\n" + Self.sender + "\n" + #"password = "pw""#, Self.address, "channels[0].username",
            "is required with password"
        ),
        (
            Self.server + "\n" + Self.sender + "\n" + #"starttls = "yes""#, Self.address, "channels[0].starttls",
            "must be true or false"
        ),
        (Self.server + "\n" + Self.sender + "\n" + #"tls = true"#, Self.address, "channels[0].tls", "unknown key"),
        (
            Self.server + "\n" + Self.sender, #"email = "anna at example.org""#, "people[0].email",
            "is not an e-mail address"
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

    /// A URL typed without its scheme may still carry the login: the error does not repeat it.
    @Test func aWrongURLIsNotQuotedBack() {
        do {
            _ = try Self.load(
                channel: #"url = "crisisd:s3cret-pw@mail.example.org""# + "\n" + Self.sender, person: Self.address)
            Issue.record("loaded")
        } catch {
            #expect(error.issues.contains { $0.place == "channels[0].url" })
            #expect(!"\(ConfigErrors(error.issues))".contains("s3cret-pw"))
        }
    }

    @Test func aPersonNotPagedByEmailNeedsNoAddress() throws {
        let path = NSTemporaryDirectory() + "crisisd-email-\(UInt64.random(in: 0...UInt64.max)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        [[channels]]
        id = "mail"
        type = "email"
        url = "smtp://127.0.0.1:2525"
        from = "crisisd@example.org"

        [[channels]]
        id = "console"
        type = "console"

        [[people]]
        id = "bo"
        name = "Bo Berg"
        phone = "+4520000002"
        contacts = ["console"]

        [escalation]
        steps = ["person:bo"]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: path)
        #expect(config.people.first?.email == nil)
    }
}
