import CrisisCore
import Foundation

/// One page's HTTP request to a gateway, and what in it must never be quoted in a failure's
/// reason (keys, credentials, the recipient's number). Retried as webhooks are (`HTTPDeliveryStatus`).
public struct SecretHTTPRequest: Sendable {
    public var call: HTTPCall
    public var secrets: [String]

    public init(call: HTTPCall, secrets: [String]) {
        self.call = call
        self.secrets = secrets
    }

    /// Sends it; the reason of a failure names the gateway's host, never a secret.
    public func send() async -> DeliveryOutcome {
        let url = call.url
        switch await CurlHTTPClient.send(call) {
        case .failure(let failure):
            return .failed(
                retryable: failure.retryable,
                reason: Redaction.scrub("\(Redaction.redact(url)): \(failure.message)", secrets: secrets))
        case .success(let reply):
            switch HTTPDeliveryStatus.outcome(status: reply.status, url: url, retryAfter: reply.retryAfter) {
            case .delivered(let detail): return .delivered(detail: detail)
            case .failed(let retryable, let reason, let retryAfter):
                return .failed(
                    retryable: retryable, reason: Redaction.scrub(reason, secrets: secrets), retryAfter: retryAfter)
            }
        }
    }
}
