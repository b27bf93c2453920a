import CrisisCore
import Foundation

/// Mails a page to the recipient's address through an SMTP server (`smtp://` with STARTTLS when
/// offered or required, or `smtps://`), as plain text with the page's first line as the subject.
public struct EmailNotifier: Notifier {
    public let url: String
    private let from: String
    private let username: String?
    private let password: String?
    private let requireTLS: Bool
    /// Each person's address, by person id.
    private let addresses: [String: String]
    public let timeZone: TimeZone
    public let timeout: TimeInterval

    public init(
        url: String, from: String, username: String?, password: String?, requireTLS: Bool,
        addresses: [String: String], timeZone: TimeZone, timeout: TimeInterval
    ) {
        self.url = url
        self.from = from
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.addresses = addresses
        self.timeZone = timeZone
        self.timeout = timeout
    }

    /// The reason of a failure names the server's host and the reply code, never the login, the
    /// address or the server's reply text (which may quote the address).
    public func deliver(_ message: PageMessage) async -> DeliveryOutcome {
        guard let address = addresses[message.recipient] else {
            return .failed(retryable: false, reason: "\(message.recipient) has no email")
        }
        // The time of sending, not the page's: a retry is dated when it goes out.
        let bytes = EmailMessage.render(message, from: from, to: address, timeZone: timeZone, date: Date())
        let call = SMTPCall(
            url: url, from: from, recipients: [address], message: bytes, username: username, password: password,
            requireTLS: requireTLS, timeout: timeout)
        switch await CurlSMTPClient.send(call) {
        case .success(let reply):
            return .delivered(detail: "SMTP \(reply)")
        case .failure(let failure):
            let secrets = [address] + [username, password].compactMap { $0 } + Redaction.secretParts(of: url)
            return .failed(
                retryable: failure.retryable,
                reason: Redaction.scrub("\(Redaction.redact(url)): \(failure)", secrets: secrets))
        }
    }
}
