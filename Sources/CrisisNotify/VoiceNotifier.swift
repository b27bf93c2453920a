import CrisisCore
import Foundation

/// Pages by a phone call through Twilio's Calls API. Twilio fetches what the call says from
/// `PageMessage.voiceURL` when it is answered, and a key press there acknowledges; the call's
/// request itself carries nothing about the crisis. Retried as SMS are (`HTTPDeliveryStatus`).
public struct VoiceNotifier: Notifier {
    public let account: TwilioAccount
    /// Each person's phone number, by person id.
    private let phones: [String: String]
    public let timeout: TimeInterval

    public init(account: TwilioAccount, phones: [String: String], timeout: TimeInterval) {
        self.account = account
        self.phones = phones
        self.timeout = timeout
    }

    /// The Calls API request that rings `phone`, or nil for a page without an acknowledgement link.
    public static func request(_ account: TwilioAccount, message: PageMessage, phone: String, timeout: TimeInterval)
        -> SecretHTTPRequest?
    {
        guard let url = message.voiceURL else { return nil }
        let to = SMSNotifier.dialable(phone)
        return TwilioClient.request(
            account, resource: "Calls", form: [("To", to), ("From", account.from), ("Url", url), ("Method", "POST")],
            to: to, timeout: timeout)
    }

    /// A call reads out one crisis: spaced, never combined.
    public var storm: StormHandling { .spaced }

    public func deliver(_ message: PageMessage) async -> DeliveryOutcome {
        guard let phone = phones[message.recipient] else {
            return .failed(retryable: false, reason: "\(message.recipient) has no phone number")
        }
        guard let request = Self.request(account, message: message, phone: phone, timeout: timeout) else {
            // Without a link the call could not be acknowledged: it would only ring.
            return .failed(
                retryable: false, reason: "a voice page needs an acknowledgement link, and this one has none")
        }
        return await request.send()
    }
}
