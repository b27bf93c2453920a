import CrisisCore
import Crypto
import Foundation

/// The random tokens of acknowledgement links and API tokens, and the hash kept of them.
public enum SecretToken {
    /// 32 random bytes, base64url without padding: 43 characters, safe in a URL and an SMS.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func sha256(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).lowercaseHex
    }

    /// Whether `text` could be a token at all: anything else is refused before a lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 43
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
            }
    }
}
