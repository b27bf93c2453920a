import CrisisConfig
import CrisisCore
import Foundation
import Testing

/// `type = "sms"` channels: Twilio, or a generic gateway described by Mustache templates; every
/// mistake named with its place.
struct SMSConfigTests {
    static let sid = "AC0123456789abcdef0123456789abcdef"

    static func load(channel: String) throws(ConfigErrors) -> Config {
        let path = NSTemporaryDirectory() + "crisisd-sms-\(UInt64.random(in: 0...UInt64.max)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = """
            [[channels]]
            id = "sms"
            type = "sms"
            \(channel)

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+45 20 00 00 01"
            contacts = ["sms"]

            [escalation]
            steps = ["person:anna"]
            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    static let twilio = """
        flavour = "twilio"
        account_sid = "\(sid)"
        auth_token = "0123456789abcdef"
        from = "+45 70 00 00 00"
        """

    @Test func aTwilioChannelIsReadWithTheDefaultBaseURLAndTheSenderAsDigits() throws {
        let config = try Self.load(channel: Self.twilio)
        #expect(
            config.channels == [
                Channel(
                    id: "sms",
                    kind: .sms(
                        .twilio(
                            url: "https://api.twilio.com", accountSID: Self.sid, authToken: "0123456789abcdef",
                            from: "+4570000000")))
            ])
    }

    @Test func aTwilioChannelTakesAnotherBaseURL() throws {
        let config = try Self.load(channel: Self.twilio + "\nurl = \"http://127.0.0.1:9000/pages\"")
        guard case .sms(.twilio(let url, _, _, _)) = config.channels.first?.kind else {
            Issue.record("not a twilio channel: \(config.channels)")
            return
        }
        #expect(url == "http://127.0.0.1:9000/pages")
    }

    @Test func aGenericChannelIsReadWithItsTemplatesInOrder() throws {
        let config = try Self.load(
            channel: #"""
                flavour = "generic"
                url = "https://gw.example/v1/sms?to={{to}}"
                headers = { Authorization = "Bearer gw-key", "X-Ref" = "{{reference}}" }
                body = '{"to":"{{to}}","message":"{{text}}"}'
                content_type = "application/json"
                from = "+4570000000"
                """#)
        guard case .sms(.generic(let request, _)) = config.channels.first?.kind else {
            Issue.record("not a generic channel: \(config.channels)")
            return
        }
        #expect(request.method == "POST")
        #expect(request.url.source == "https://gw.example/v1/sms?to={{to}}")
        #expect(request.headers.map(\.name) == ["Authorization", "X-Ref"])
        #expect(request.headers.map(\.value.source) == ["Bearer gw-key", "{{reference}}"])
        #expect(request.body?.source == #"{"to":"{{to}}","message":"{{text}}"}"#)
        #expect(request.contentType == "application/json")
        #expect(request.from == "+4570000000")
    }

    @Test func aGenericChannelDefaultsToAFormPOSTWithoutSender() throws {
        let config = try Self.load(
            channel: #"flavour = "generic"\#nurl = "https://gw.example/send"\#nbody = "to={{to}}&text={{text}}""#)
        guard case .sms(.generic(let request, _)) = config.channels.first?.kind else {
            Issue.record("not a generic channel: \(config.channels)")
            return
        }
        #expect(request.method == "POST")
        #expect(request.contentType == "application/x-www-form-urlencoded")
        #expect(request.headers.isEmpty)
        #expect(request.from == nil)
    }

    @Test func aGenericChannelTakesRepliesOnlyWithASecret() throws {
        let without = try Self.load(channel: Self.generic)
        guard case .sms(.generic(_, let none)) = without.channels.first?.kind else {
            Issue.record("not a generic channel: \(without.channels)")
            return
        }
        #expect(none == nil)

        let with = try Self.load(channel: Self.generic + "\ninbound_secret = \"\(Self.inboundSecret)\"")
        guard case .sms(.generic(_, let inbound)) = with.channels.first?.kind else {
            Issue.record("not a generic channel: \(with.channels)")
            return
        }
        #expect(
            inbound == GenericSMSInbound(secret: .plain(Self.inboundSecret), fromField: "from", bodyField: "message"))
    }

    @Test func aGenericChannelTakesTheSecretsHashAndTheGatewaysFieldNames() throws {
        let hash = String(repeating: "Ab", count: 32)
        let config = try Self.load(
            channel: Self.generic + """

                inbound_secret_sha256 = "\(hash)"
                inbound_from_field = "msisdn"
                inbound_body_field = "text"
                """)
        guard case .sms(.generic(_, let inbound)) = config.channels.first?.kind else {
            Issue.record("not a generic channel: \(config.channels)")
            return
        }
        #expect(
            inbound == GenericSMSInbound(secret: .sha256(hash.lowercased()), fromField: "msisdn", bodyField: "text"))
    }

    static let generic = #"flavour = "generic"\#nurl = "https://gw.example/send""#
    static let inboundSecret = "in-secret-4f9c2e81d7"
    static let withSecret = generic + "\ninbound_secret = \"\(inboundSecret)\""

    @Test(arguments: [
        ("", "channels[0].flavour", "is required"),
        (#"flavour = "nexmo""#, "channels[0].flavour", "\"nexmo\" is not one of twilio, generic"),
        (#"flavour = "twilio"\#nauth_token = "t"\#nfrom = "+4570000000""#, "channels[0].account_sid", "is required"),
        (
            #"flavour = "twilio"\#naccount_sid = "\#(sid)"\#nfrom = "+4570000000""#, "channels[0].auth_token",
            "is required"
        ),
        (#"flavour = "twilio"\#naccount_sid = "\#(sid)"\#nauth_token = "t""#, "channels[0].from", "is required"),
        (
            #"flavour = "twilio"\#naccount_sid = "AC 1"\#nauth_token = "t"\#nfrom = "+4570000000""#,
            "channels[0].account_sid", "letters and digits only"
        ),
        (twilio + "\nurl = \"api.twilio.com\"", "channels[0].url", "must start with http:// or https://"),
        (
            #"flavour = "twilio"\#naccount_sid = "\#(sid)"\#nauth_token = "t"\#nfrom = "CrisisTeam""#,
            "channels[0].from", "\"CrisisTeam\" is not a phone number"
        ),
        (twilio + "\nbody = \"{{text}}\"", "channels[0].body", "unknown key"),
        (#"flavour = "generic"\#nbody = "x""#, "channels[0].url", "is required"),
        (#"flavour = "generic"\#nurl = "gw.example/send""#, "channels[0].url", "must start with http:// or https://"),
        (generic + "\nbody = \"to={{to\"", "channels[0].body", "is not a valid Mustache template"),
        (generic + "\nbody = \"{{#to}}x\"", "channels[0].body", "a section is not closed at line 1"),
        (generic + "\nbody = \"to={{phone}}\"", "channels[0].body", "names {{phone}}, which is not one of to, from"),
        (
            #"flavour = "generic"\#nurl = "https://gw.example/send?to={{to"\#n"#, "channels[0].url",
            "is not a valid Mustache template"
        ),
        (generic + "\nheaders = { X-Key = \"{{key}}\" }", "channels[0].headers.X-Key", "names {{key}}"),
        (generic + "\nheaders = { \"X Key\" = \"k\" }", "channels[0].headers.X Key", "is not a header name"),
        (
            generic + "\nheaders = { Content-Type = \"text/plain\" }", "channels[0].headers.Content-Type",
            "set content_type instead"
        ),
        (generic + "\nheaders = \"X-Key: k\"", "channels[0].headers", "must be a table"),
        (generic + "\nmethod = \"DELETE\"", "channels[0].method", "\"DELETE\" is not one of POST, PUT, GET"),
        (generic + "\nmethod = \"get\"\nbody = \"x\"", "channels[0].body", "a GET request has no body"),
        (generic + "\ncontent_type = \"json\"", "channels[0].content_type", "is not a media type"),
        (generic + "\nfrom = \"sender\"", "channels[0].from", "is not a phone number"),
        (generic + "\naccount_sid = \"\(sid)\"", "channels[0].account_sid", "unknown key"),
        (generic + "\ninbound_secret = \"short-1234\"", "channels[0].inbound_secret", "at least 16 characters"),
        (
            generic + "\ninbound_secret = \"a secret with spaces\"", "channels[0].inbound_secret",
            "printable ASCII without spaces"
        ),
        (generic + "\ninbound_secret = 1234567890123456789", "channels[0].inbound_secret", "must be a string"),
        (generic + "\ninbound_secret_sha256 = \"abc\"", "channels[0].inbound_secret_sha256", "64 hex digits"),
        (
            withSecret + "\ninbound_secret_sha256 = \"\(String(repeating: "0", count: 64))\"",
            "channels[0].inbound_secret_sha256", "not both"
        ),
        (generic + "\ninbound_from_field = \"msisdn\"", "channels[0].inbound_from_field", "needs inbound_secret"),
        (withSecret + "\ninbound_body_field = \"from\"", "channels[0].inbound_body_field", "must differ"),
        (withSecret + "\ninbound_from_field = \"\"", "channels[0].inbound_from_field", "must name the gateway's"),
        (
            twilio + "\ninbound_secret = \"\(inboundSecret)\"", "channels[0].inbound_secret",
            "Twilio's replies are checked with auth_token"
        ),
    ])
    func aMistakeIsNamedWithItsPlace(channel: String, place: String, message: String) {
        do {
            _ = try Self.load(channel: channel)
            Issue.record("loaded")
        } catch {
            #expect(
                error.issues.contains { $0.place == place && $0.message.contains(message) },
                "\(ConfigErrors(error.issues))")
        }
    }

    @Test func noMistakeQuotesAKeyOrATemplate() {
        let channel = """
            flavour = "generic"
            url = "gw.example/send?key=sk_live_7f3a"
            headers = { Authorization = "Bearer sk_live_7f3a{{to" }
            """
        do {
            _ = try Self.load(channel: channel)
            Issue.record("loaded")
        } catch {
            #expect(
                error.issues.map(\.place).filter { $0.hasPrefix("channels") } == [
                    "channels[0].url", "channels[0].headers.Authorization",
                ], "\(ConfigErrors(error.issues))")
            #expect(!"\(ConfigErrors(error.issues))".contains("sk_live"), "\(ConfigErrors(error.issues))")
        }
    }

    @Test func noMistakeQuotesTheInboundSecret() {
        for secret in ["short-7f3a", "long enough but has spaces 7f3a"] {
            do {
                _ = try Self.load(channel: Self.generic + "\ninbound_secret = \"\(secret)\"")
                Issue.record("loaded")
            } catch {
                #expect(
                    error.issues.map(\.place).filter { $0.hasPrefix("channels") } == ["channels[0].inbound_secret"],
                    "\(ConfigErrors(error.issues))")
                #expect(!"\(ConfigErrors(error.issues))".contains("7f3a"), "\(ConfigErrors(error.issues))")
            }
        }
    }

    @Test func aFlavourlessChannelIsOneMistakeNotOnePerKey() {
        do {
            _ = try Self.load(channel: #"url = "https://gw.example"\#nbody = "x"\#nauth_token = "t""#)
            Issue.record("loaded")
        } catch {
            // The person's contact then names a channel that is not there: that is the config's other issue.
            #expect(
                error.issues.map(\.place).filter { $0.hasPrefix("channels") } == ["channels[0].flavour"],
                "\(ConfigErrors(error.issues))")
        }
    }
}
