import CrisisCore
import Foundation

/// Twilio's REST API as pages use it: one form POST per message or call, with the account SID
/// and auth token as basic auth. Shared by the `twilio` SMS flavour and `voice` channels.
public enum TwilioClient {
    /// A POST to `{url}/2010-04-01/Accounts/{sid}/{resource}.json` (`Messages`, `Calls`).
    /// - Parameter to: the recipient's number, kept out of failure reasons with the credentials.
    public static func request(
        _ account: TwilioAccount, resource: String, form: [(String, String)], to: String, timeout: TimeInterval
    ) -> SecretHTTPRequest {
        let base = account.url.hasSuffix("/") ? String(account.url.dropLast()) : account.url
        let body = form.map { "\($0)=\(SMSValueEscaping.percent.escape($1))" }.joined(separator: "&")
        let credentials = Data("\(account.accountSID):\(account.authToken)".utf8).base64EncodedString()
        let call = HTTPCall(
            method: "POST", url: "\(base)/2010-04-01/Accounts/\(account.accountSID)/\(resource).json",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(credentials)"),
                ("User-Agent", "crisisd"),
            ],
            body: Array(body.utf8), timeout: timeout)
        return SecretHTTPRequest(
            call: call, secrets: [account.authToken, credentials, to] + Redaction.secretParts(of: base))
    }
}
