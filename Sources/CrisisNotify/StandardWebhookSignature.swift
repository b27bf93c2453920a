import CrisisCore
import Crypto
import Foundation

/// The Standard Webhooks headers of one request: `webhook-id` (the same on every attempt at one
/// page, so a receiver drops a repeat), `webhook-timestamp` (seconds, so it refuses a replay) and
/// `webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`.
public enum StandardWebhookSignature {
    public static func signature(id: String, timestamp: Int, body: [UInt8], secret: WebhookSecret) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: secret.key))
        return "v1," + Data(mac).base64EncodedString()
    }

    public static func headers(id: String, timestamp: Int, body: [UInt8], secret: WebhookSecret) -> [(String, String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body, secret: secret)),
        ]
    }
}
