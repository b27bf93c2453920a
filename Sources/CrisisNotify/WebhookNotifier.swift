import CrisisCore
import Crypto
import Foundation

/// Posts a page as JSON, signed the Standard Webhooks way (`StandardWebhookSignature`).
public struct WebhookNotifier: StartableNotifier {
    public let url: String
    private let secret: WebhookSecret
    private let signer: StandardWebhookSignature
    public let timeout: TimeInterval

    public init(url: String, secret: WebhookSecret, timeout: TimeInterval) {
        self.url = url
        self.secret = secret
        signer = StandardWebhookSignature(secret: secret)
        self.timeout = timeout
    }

    /// The reason of a failure names the host, never the secret or what follows the host: it
    /// becomes the page's `last_error`, a journal entry and a log line.
    /// A webhook reaches a system, not a phone: every page goes as it is, one per message.
    public var storm: StormHandling { .unlimited }

    public func deliver(_ message: PageMessage) async -> DeliveryOutcome {
        outcome(await CurlHTTPClient.send(call(message)))
    }

    public func start(_ message: PageMessage, finished: @escaping @Sendable (DeliveryOutcome) -> Void) {
        CurlHTTPClient.start(call(message)) { finished(outcome($0)) }
    }

    private func call(_ message: PageMessage) -> HTTPCall {
        let body = message.json
        // The time of sending, not the page's: receivers refuse a request whose timestamp is
        // far from their clock, which is what stops a replay.
        let timestamp = Int(Date().timeIntervalSince1970)
        return HTTPCall(
            method: "POST", url: url,
            headers: [("Content-Type", "application/json"), ("User-Agent", "crisisd")]
                + signer.headers(id: message.id, timestamp: timestamp, body: body),
            body: body, timeout: timeout)
    }

    private func outcome(_ result: Result<HTTPReply, HTTPCallFailure>) -> DeliveryOutcome {
        switch result {
        case .failure(let failure):
            .failed(retryable: failure.retryable, reason: scrubbed("\(Redaction.redact(url)): \(failure.message)"))
        case .success(let reply):
            switch HTTPDeliveryStatus.outcome(status: reply.status, url: url, retryAfter: reply.retryAfter) {
            case .delivered(let detail): .delivered(detail: detail)
            case .failed(let retryable, let reason, let retryAfter):
                .failed(retryable: retryable, reason: scrubbed(reason), retryAfter: retryAfter)
            }
        }
    }

    /// A reason without the secret or what follows the URL's host.
    private func scrubbed(_ reason: String) -> String {
        Redaction.scrub(
            reason,
            secrets: [WebhookSecret.prefix + Data(secret.key).base64EncodedString()] + Redaction.secretParts(of: url))
    }
}
