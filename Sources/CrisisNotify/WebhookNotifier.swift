import CrisisCore
import Crypto
import Foundation

/// Posts a page as JSON, signed with `X-Crisisd-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
public struct WebhookNotifier: Notifier {
    public let url: String
    private let secret: String
    public let timeout: TimeInterval

    public init(url: String, secret: String, timeout: TimeInterval) {
        self.url = url
        self.secret = secret
        self.timeout = timeout
    }

    public static let signatureHeader = "X-Crisisd-Signature"

    public static func signature(of body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The reason of a failure names the host, never the secret or what follows the host: it
    /// becomes the page's `last_error`, a journal entry and a log line.
    public func deliver(_ message: PageMessage) async -> DeliveryOutcome {
        switch await attempt(message) {
        case .delivered(let detail):
            .delivered(detail: detail)
        case .failed(let retryable, let reason):
            .failed(
                retryable: retryable,
                reason: Redaction.scrub(reason, secrets: [secret] + Redaction.secretParts(of: url)))
        }
    }

    private func attempt(_ message: PageMessage) async -> DeliveryOutcome {
        let body: [UInt8]
        do {
            body = Array(try JSONCoding.encoder().encode(message))
        } catch {
            return .failed(retryable: false, reason: "cannot encode the page: \(error)")
        }
        let call = HTTPCall(
            method: "POST", url: url,
            headers: [
                ("Content-Type", "application/json"), (Self.signatureHeader, Self.signature(of: body, secret: secret)),
                ("User-Agent", "crisisd"),
            ],
            body: body, timeout: timeout)
        switch await CurlHTTPClient.send(call) {
        case .failure(let failure):
            return .failed(retryable: failure.retryable, reason: "\(Redaction.redact(url)): \(failure.message)")
        case .success(let reply):
            return Self.outcome(status: reply.status, url: url)
        }
    }

    /// 2xx is delivered; 5xx, 408 and 429 are worth a retry; any other answer is not.
    public static func outcome(status: Int, url: String) -> DeliveryOutcome {
        switch status {
        case 200..<300: .delivered(detail: "HTTP \(status)")
        case 500..<600, 408, 429: .failed(retryable: true, reason: "\(Redaction.redact(url)) answered HTTP \(status)")
        default: .failed(retryable: false, reason: "\(Redaction.redact(url)) answered HTTP \(status)")
        }
    }
}
