import CrisisCore
import Foundation

/// Publishes a page to an ntfy server (ntfy.sh or one's own), to the recipient's topic: JSON to
/// the server's base URL, at the highest priority for a crisis, with the acknowledgement link as
/// the notification's click target and button, and the call-back number as a second button.
public struct NtfyNotifier: Notifier {
    public let url: String
    private let token: String?
    /// Each person's topic, by person id.
    private let topics: [String: String]
    public let timeZone: TimeZone
    public let timeout: TimeInterval

    public init(url: String, token: String?, topics: [String: String], timeZone: TimeZone, timeout: TimeInterval) {
        self.url = url
        self.token = token
        self.topics = topics
        self.timeZone = timeZone
        self.timeout = timeout
    }

    /// The JSON ntfy publishes (docs.ntfy.sh, "Publish as JSON").
    struct Publication: Encodable {
        struct Action: Encodable {
            var action = "view"
            var label: String
            var url: String
            var clear: Bool
        }

        var topic: String
        var title: String
        var message: String
        var priority: Int
        var tags: [String]
        var click: String
        var actions: [Action]
    }

    static func publication(_ page: PageMessage, topic: String, timeZone: TimeZone) -> Publication {
        let lines = page.text(in: timeZone).split(separator: "\n", omittingEmptySubsequences: false)
        let tags: [String]
        switch page.kind {
        case .crisis: tags = ["rotating_light"]
        case .warning: tags = ["warning"]
        case .breach, .exhausted: tags = ["sos"]
        case .receipt, .ackNotice: tags = ["information_source"]
        }
        let digits = page.callback.filter { $0.isNumber || $0 == "+" }
        return Publication(
            topic: topic, title: String(lines.first ?? ""),
            message: lines.dropFirst().joined(separator: "\n"),
            // A warning is urgent but not yet a crisis of its own; everything else wakes the phone.
            priority: page.kind == .warning ? 4 : 5, tags: page.drill ? tags + ["drill"] : tags, click: page.ackURL,
            actions: [
                Publication.Action(label: "Acknowledge", url: page.ackURL, clear: true),
                Publication.Action(label: "Call back", url: "tel:\(digits)", clear: false),
            ])
    }

    /// The reason of a failure names the server's host, never the token or the topic.
    public func deliver(_ message: PageMessage) async -> DeliveryOutcome {
        guard let topic = topics[message.recipient] else {
            return .failed(retryable: false, reason: "\(message.recipient) has no ntfy_topic")
        }
        let body: [UInt8]
        do {
            body = Array(try JSONCoding.encoder().encode(Self.publication(message, topic: topic, timeZone: timeZone)))
        } catch {
            return .failed(retryable: false, reason: "cannot encode the page: \(error)")
        }
        var headers = [("Content-Type", "application/json"), ("User-Agent", "crisisd")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let call = HTTPCall(method: "POST", url: url, headers: headers, body: body, timeout: timeout)
        let secrets = [topic] + (token.map { [$0] } ?? []) + Redaction.secretParts(of: url)
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
