/// The HTTP SMS gateway an `sms` channel sends through.
public enum SMSGateway: Sendable, Equatable {
    /// Twilio's Messages API: `url` is its base (`https://api.twilio.com`), `from` the sender's
    /// number; the account SID and auth token are the basic-auth credentials.
    case twilio(url: String, accountSID: String, authToken: String, from: String)
    /// Any gateway that takes one HTTP request per message, described by templates; `inbound`
    /// when its replies may come back to `/v1/inbound/sms/CHANNEL`.
    case generic(GenericSMSRequest, inbound: GenericSMSInbound? = nil)
}
