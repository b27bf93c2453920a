import CrisisCore

/// A way to reach a person: a signed webhook, an ntfy push, an SMS, a voice call, an e-mail, or the daemon's console and log.
public struct Channel: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case webhook(url: String, secret: WebhookSecret)
        /// An ntfy server (`url`, its base); the topic is the person's `ntfy_topic`.
        case ntfy(url: String, token: String?)
        /// An SMTP server (`smtp://` or `smtps://`); the recipient is the person's `email`.
        /// `starttls` true fails unless an smtp:// server takes STARTTLS (the default with a login);
        /// false uses it when offered.
        case email(url: String, from: String, username: String?, password: String?, starttls: Bool)
        /// An HTTP SMS gateway; the number is the person's `phone`.
        case sms(SMSGateway)
        /// Twilio's Calls API: a call whose key press acknowledges; the number is the person's `phone`.
        case voice(TwilioAccount)
        case console
    }

    public var id: String
    public var kind: Kind

    public init(id: String, kind: Kind) {
        self.id = id
        self.kind = kind
    }

    public static let typeNames = ["webhook", "ntfy", "sms", "voice", "email", "console"]
}
