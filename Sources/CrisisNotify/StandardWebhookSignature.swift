import CrisisCore
import Crypto
import Foundation

/// The Standard Webhooks headers of one request: `webhook-id` (the same on every attempt at one
/// page, so a receiver drops a repeat), `webhook-timestamp` (seconds, so it refuses a replay) and
/// `webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`.
///
/// Keyed once per secret: each signature starts from a copy of the keyed HMAC, not from the key
/// (two hash blocks and a key copy less on every page's way).
public struct StandardWebhookSignature: @unchecked Sendable {
    /// Unchecked: a value never changed after `init`; each signature mutates a copy of its own.
    private let keyed: HMAC<SHA256>

    public init(secret: WebhookSecret) {
        keyed = HMAC(key: SymmetricKey(data: secret.key))
    }

    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var mac = keyed
        mac.update(data: Array("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }

    public func headers(id: String, timestamp: Int, body: [UInt8]) -> [(String, String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body)),
        ]
    }
}
