import Foundation

/// What Twilio's callbacks are checked and answered with, from the config in force.
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
    public var phones: [Phone]
    public var timeZone: TimeZone

    public init(
        publicURL: String, voiceAuthTokens: [String], smsAuthTokens: [String: String], phones: [Phone],
        timeZone: TimeZone
    ) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.voiceAuthTokens = voiceAuthTokens
        self.smsAuthTokens = smsAuthTokens
        self.phones = phones
        self.timeZone = timeZone
    }

    /// A phone number compared as digits and `+` only.
    public static func digits(_ phone: String) -> String { phone.filter { $0.isNumber || $0 == "+" } }

    public func phone(_ from: String) -> Phone? {
        let digits = Self.digits(from)
        guard !digits.isEmpty else { return nil }
        return phones.first { $0.digits == digits }
    }
}
