import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// `type = "voice"` channels: Twilio's Calls API with the keys of the twilio SMS flavour; every
/// mistake named with its place, no token quoted.
struct VoiceConfigTests {
    static let sid = "AC0123456789abcdef0123456789abcdef"

    static func load(channel: String) throws(ConfigErrors) -> Config {
        let path = NSTemporaryDirectory() + "crisisd-voice-\(UInt64.random(in: 0...UInt64.max)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = """
            [[channels]]
            id = "call"
            type = "voice"
            \(channel)

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+45 20 00 00 01"
            contacts = ["call"]

            [escalation]
            steps = ["person:anna"]
            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    static let voice = """
        account_sid = "\(sid)"
        auth_token = "0123456789abcdef"
        from = "+45 70 00 00 00"
        """

    @Test func aVoiceChannelIsReadWithTheDefaultBaseURLAndTheCallerAsDigits() throws {
        let config = try Self.load(channel: Self.voice)
        #expect(
            config.channels == [
                Channel(
                    id: "call",
                    kind: .voice(
                        TwilioAccount(
                            url: "https://api.twilio.com", accountSID: Self.sid, authToken: "0123456789abcdef",
                            from: "+4570000000")))
            ])
    }

    @Test func aVoiceChannelTakesAnotherBaseURL() throws {
        let config = try Self.load(channel: Self.voice + "\nurl = \"http://127.0.0.1:9000/pages\"")
        guard case .voice(let account) = config.channels.first?.kind else {
            Issue.record("not a voice channel: \(config.channels)")
            return
        }
        #expect(account.url == "http://127.0.0.1:9000/pages")
    }

    @Test(arguments: [
        (#"auth_token = "t"\#nfrom = "+4570000000""#, "channels[0].account_sid", "is required"),
        (#"account_sid = "\#(sid)"\#nfrom = "+4570000000""#, "channels[0].auth_token", "is required"),
        (#"account_sid = "\#(sid)"\#nauth_token = "t""#, "channels[0].from", "is required"),
        (#"account_sid = "AC-1"\#nauth_token = "t"\#nfrom = "+4570000000""#, "channels[0].account_sid", "letters"),
        (#"account_sid = "\#(sid)"\#nauth_token = "a b"\#nfrom = "+4570000000""#, "channels[0].auth_token", "spaces"),
        (voice + "\nurl = \"api.twilio.com\"", "channels[0].url", "must start with http:// or https://"),
        (
            #"account_sid = "\#(sid)"\#nauth_token = "t"\#nfrom = "CrisisTeam""#, "channels[0].from",
            "\"CrisisTeam\" is not a phone number"
        ),
        (voice + "\nflavour = \"twilio\"", "channels[0].flavour", "unknown key"),
        (voice + "\nbody = \"{{text}}\"", "channels[0].body", "unknown key"),
    ])
    func aMistakeIsNamedWithItsPlace(channel: String, place: String, message: String) {
        do {
            _ = try Self.load(channel: channel)
            Issue.record("loaded")
        } catch {
            #expect(
                error.issues.contains { $0.place == place && $0.message.contains(message) },
                "\(ConfigErrors(error.issues))")
            #expect(!"\(ConfigErrors(error.issues))".contains("0123456789abcdef"), "no token quoted")
        }
    }
}
