import Crypto
import Foundation

/// Twilio's `X-Twilio-Signature`: base64 of HMAC-SHA1 keyed by the auth token, over the URL
/// Twilio was given followed by the POST form's parameters sorted by name, each name followed
/// by its value.
public enum TwilioSignature {
    public static func compute(authToken: String, url: String, params: [String: String]) -> String {
        let data = params.keys.sorted().reduce(url) { $0 + $1 + (params[$1] ?? "") }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(data.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Whether `signature` is valid for any of `authTokens`; compared in constant time.
    public static func isValid(
        _ signature: String?, authTokens: [String], url: String, params: [String: String]
    ) -> Bool {
        guard let signature, !signature.isEmpty else { return false }
        return authTokens.contains { token in
            let expected = Array(compute(authToken: token, url: url, params: params).utf8)
            let given = Array(signature.utf8)
            guard expected.count == given.count else { return false }
            return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
