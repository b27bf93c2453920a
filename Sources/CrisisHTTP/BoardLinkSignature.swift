import CrisisCore
import Crypto
import Foundation

/// Signs and checks ops board links: `/board?expires=UNIX&sig=HEX`, where `sig` is the
/// HMAC-SHA256 of the expiry under the daemon's own key. Without the key a link can be neither
/// guessed nor stretched, and every link stops working at its expiry.
public struct BoardLinkSignature: Sendable {
    private let key: [UInt8]

    public init(key: [UInt8]) {
        self.key = key
    }

    /// The query (`expires=…&sig=…`) of a link valid until `expires`, to the second.
    public func query(expires: Date) -> String {
        let seconds = Int(expires.timeIntervalSince1970.rounded(.down))
        return "expires=\(seconds)&sig=\(signature(seconds))"
    }

    /// Whether a link's `expires` and `sig` are ours and not yet expired at `now`.
    public func opens(expires: String?, signature given: String?, now: Date) -> Bool {
        guard let expires, let given, let seconds = Int(expires), String(seconds) == expires else { return false }
        // Checked in full before the expiry, so that timing tells nothing about the signature.
        let genuine = constantTimeEqual(signature(seconds), given.lowercased())
        return genuine && now < Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private func signature(_ seconds: Int) -> String {
        let message = Array("crisisd board link v1\nexpires=\(seconds)".utf8)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return code.lowercaseHex
    }
}
