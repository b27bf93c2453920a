/// A Twilio account as a `voice` channel (and the `twilio` SMS flavour) uses it: `url` is the
/// API's base (`https://api.twilio.com`), `from` the caller's number; the account SID and auth
/// token are the basic-auth credentials, and the token also signs Twilio's callbacks.
public struct TwilioAccount: Sendable, Equatable {
    public var url: String
    public var accountSID: String
    public var authToken: String
    public var from: String

    public init(url: String, accountSID: String, authToken: String, from: String) {
        self.url = url
        self.accountSID = accountSID
        self.authToken = authToken
        self.from = from
    }
}
