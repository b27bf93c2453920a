import CrisisCore
import Foundation

/// What Twilio's callbacks, and generic SMS gateways' replies, are checked and answered with,
/// from the config in force.
public struct TwilioSetup: Sendable {
    /// A person who may answer by phone: their number as digits and `+` only.
    public struct Phone: Sendable, Equatable {
        public var person: String
        public var name: String
        public var digits: String

        public init(person: String, name: String, digits: String) {
            self.person = person
            self.name = name
            self.digits = digits
        }
    }

    /// The base Twilio was given its URLs under (`http.public_url`), without a trailing `/`.
    public var publicURL: String
    /// The auth tokens of the `voice` channels: a call's callback may be signed by any of them.
    public var voiceAuthTokens: [String]
    /// The auth token of each `twilio` SMS channel, by channel id.
    public var smsAuthTokens: [String: String]
    /// How each `generic` SMS channel that takes replies checks and reads them, by channel id.
    public var genericSMSInbound: [String: GenericSMSInbound]
    public var phones: [Phone]
    public var timeZone: TimeZone

    public init(
        publicURL: String, voiceAuthTokens: [String], smsAuthTokens: [String: String],
        genericSMSInbound: [String: GenericSMSInbound] = [:], phones: [Phone], timeZone: TimeZone
    ) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.voiceAuthTokens = voiceAuthTokens
        self.smsAuthTokens = smsAuthTokens
        self.genericSMSInbound = genericSMSInbound
        self.phones = phones
        self.timeZone = timeZone
    }

    /// A phone number compared as digits and `+` only.
    public static func digits(_ phone: String) -> String { phone.filter { $0.isNumber || $0 == "+" } }

    /// The person whose number `from` is. Gateways other than Twilio may write it `004520…` or
    /// `4520…` (no `+`); those count as `+4520…`. A number without its country code matches only
    /// itself.
    public func phone(_ from: String) -> Phone? {
        let digits = Self.international(Self.digits(from))
        guard !digits.isEmpty else { return nil }
        return phones.first {
            let known = Self.international($0.digits)
            return known == digits || (!digits.hasPrefix("+") && known == "+" + digits)
        }
    }

    private static func international(_ digits: String) -> String {
        digits.hasPrefix("00") ? "+" + digits.dropFirst(2) : digits
    }
}
