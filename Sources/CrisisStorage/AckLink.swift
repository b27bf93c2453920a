import CrisisCore
import Crypto
import Foundation

/// A link that lets one person act on one crisis from their phone (`{public_url}/a/TOKEN`).
/// The store keeps only the token's SHA-256; the token itself exists in the page it was sent in.
public struct AckLink: Sendable, Equatable {
    public var reference: CrisisReference
    /// The person paged, who acts through it.
    public var person: String
    public var issuedAt: Date
    public var expiresAt: Date

    public init(reference: CrisisReference, person: String, issuedAt: Date, expiresAt: Date) {
        self.reference = reference
        self.person = person
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// Valid until it expires or the crisis is resolved, whichever comes first.
    public func isValid(at now: Date, resolved: Bool) -> Bool { !resolved && now < expiresAt }
}

/// The random tokens of acknowledgement links, and the hash a store keeps of them.
public enum AckToken {
    /// 32 random bytes, base64url without padding: 43 characters, safe in a URL and an SMS.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func sha256(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `text` could be a token at all: anything else is refused before a lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 43
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
            }
    }
}
