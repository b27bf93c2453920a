import CrisisCore
import Foundation

/// Sends a page as an SMS (`PageMessage.smsText`) to the recipient's phone through an HTTP SMS
/// gateway: Twilio's Messages API, or any gateway whose request the config describes with
/// templates. Retried as webhooks are (`HTTPDeliveryStatus`).
public struct SMSNotifier: Notifier {
    public let gateway: SMSGateway
    /// Each person's phone number, by person id.
    private let phones: [String: String]
    public let timeZone: TimeZone
    public let timeout: TimeInterval

    public init(gateway: SMSGateway, phones: [String: String], timeZone: TimeZone, timeout: TimeInterval) {
        self.gateway = gateway
        self.phones = phones
        self.timeZone = timeZone
        self.timeout = timeout
    }

    /// One page's request, and what in it must never be quoted in a failure's reason.
    public typealias Request = SecretHTTPRequest

    /// A phone number as gateways take it: digits and a leading `+`.
    static func dialable(_ phone: String) -> String { phone.filter { $0.isNumber || $0 == "+" } }

    /// The request that sends `message` to `phone`.
    public static func request(
        _ gateway: SMSGateway, message: PageMessage, phone: String, timeZone: TimeZone, timeout: TimeInterval
    ) -> Request {
        let to = dialable(phone)
        let text = message.smsText(in: timeZone)
        switch gateway {
        case .twilio(let url, let accountSID, let authToken, let from):
            let account = TwilioAccount(url: url, accountSID: accountSID, authToken: authToken, from: from)
            return TwilioClient.request(
                account, resource: "Messages", form: [("To", to), ("From", from), ("Body", text)], to: to,
                timeout: timeout)
        case .generic(let template, _):
            let values: [String: String?] = [
                "to": to, "from": template.from, "text": text, "reference": message.reference.description,
                "category": message.category.rawValue, "site": message.site, "callback": dialable(message.callback),
                "ack_url": message.ackURL,
            ]
            func render(_ template: SMSTemplate, _ escaping: SMSValueEscaping) -> String {
                template.render(values.compactMapValues { $0.map(escaping.escape) })
            }
            let url = render(template.url, .percent)
            let headers = template.headers.map { ($0.name, render($0.value, .plain)) }
            let body = template.body.map { render($0, .body(contentType: template.contentType)) }
            var standard = [("User-Agent", "crisisd")].filter { name, _ in
                !headers.contains { $0.0.lowercased() == name.lowercased() }
            }
            if body != nil { standard.insert(("Content-Type", template.contentType), at: 0) }
            let call = HTTPCall(
                method: template.method, url: url, headers: standard + headers, body: body.map { Array($0.utf8) },
                timeout: timeout)
            // A header's value is often a key; short ones ("1") would blank every digit of a reason.
            let secrets = headers.map(\.1).filter { $0.count >= 4 } + [to] + Redaction.secretParts(of: url)
            return Request(call: call, secrets: secrets)
        }
    }

    /// The reason of a failure names the gateway's host, never a key, a header or the number.
    /// A notice to the requester goes to the crisis's call-back number.
    public func deliver(_ message: PageMessage) async -> DeliveryOutcome {
        guard let phone = message.kind.isForRequester ? message.callback : phones[message.recipient] else {
            return .failed(retryable: false, reason: "\(message.recipient) has no phone number")
        }
        return await Self.request(gateway, message: message, phone: phone, timeZone: timeZone, timeout: timeout).send()
    }
}
