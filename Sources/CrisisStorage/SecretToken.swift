import CrisisCore
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The random tokens of acknowledgement links and API tokens, and the hash kept of them.
public enum SecretToken {
    /// 32 random bytes, base64url without padding: 43 characters, safe in a URL and an SMS.
    public static func generate() -> String {
        // One draw of 32 bytes from the kernel's generator (glibc's arc4random_buf: getrandom,
        // never short, never failing): a token is drawn for each page claimed, inside the writer's
        // transaction, and four draws of 8 bytes (a system call each) were 1 % of a burst's CPU.
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        return base64URL(bytes)
    }

    /// A token as unguessable as a random one without `key`, but the same each time for the same
    /// `subject`: HMAC-SHA256 of it under `key`, in base64url (43 characters).
    public static func derived(key: [UInt8], subject: String) -> String {
        Deriver(key: key).token(subject: subject)
    }

    /// `derived(key:subject:)` under one key, keyed once: each token starts from a copy of the
    /// keyed HMAC (a claimed page's link token is derived in its crisis's transaction, before the
    /// page is handed over).
    public struct Deriver: @unchecked Sendable {
        /// Unchecked: a value never changed after `init`; each token mutates a copy of its own.
        private let keyed: HMAC<SHA256>

        public init(key: [UInt8]) {
            keyed = HMAC(key: SymmetricKey(data: key))
        }

        public func token(subject: String) -> String {
            var mac = keyed
            mac.update(data: Array(subject.utf8))
            return SecretToken.base64URL(Array(mac.finalize()))
        }
    }

    /// `bytes` in base64url (RFC 4648 §5) without padding.
    public static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var bits = 0
            for byte in chunk { bits = bits << 8 | Int(byte) }
            bits <<= 8 * (3 - chunk.count)
            for sextet in 0...chunk.count { out.append(alphabet[bits >> (18 - 6 * sextet) & 63]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
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
