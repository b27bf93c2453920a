import CrisisConfig
import CrisisNotify
import Logging

/// What the page sender needs of a config: a notifier per channel, each person's contact
/// channels in order (for a page whose channel a reload removed), and people's names (for the
/// leader's notice of who has the case).
public struct PageChannels: Sendable {
    public var notifiers: [String: any Notifier]
    public var contacts: [String: [String]]
    public var names: [String: String]

    public init(_ config: Config, logger: Logger) {
        notifiers = [:]
        for channel in config.channels {
            switch channel.kind {
            case .console:
                notifiers[channel.id] = ConsoleNotifier(timeZone: config.timeZone, logger: logger)
            case .webhook(let url, let secret):
                notifiers[channel.id] = WebhookNotifier(url: url, secret: secret, timeout: config.delivery.timeout)
            case .ntfy(let url, let token):
                let topics = config.people.reduce(into: [String: String]()) { topics, person in
                    if let topic = person.ntfyTopic { topics[person.id] = topic }
                }
                notifiers[channel.id] = NtfyNotifier(
                    url: url, token: token, topics: topics, timeZone: config.timeZone, timeout: config.delivery.timeout)
            case .email(let url, let from, let username, let password, let starttls):
                var addresses = config.people.reduce(into: [String: String]()) { addresses, person in
                    if let email = person.email { addresses[person.id] = email }
                }
                // A requester's receipts go to its mailbox; its pages' recipient is the crisis's source.
                for requester in config.requesters {
                    if let email = requester.email { addresses["requester:\(requester.id)"] = email }
                }
                notifiers[channel.id] = EmailNotifier(
                    url: url, from: from, username: username, password: password, requireTLS: starttls,
                    addresses: addresses, timeZone: config.timeZone, timeout: config.delivery.timeout)
            case .sms(let gateway):
                notifiers[channel.id] = SMSNotifier(
                    gateway: gateway, phones: Dictionary(config.people.map { ($0.id, $0.phone) }) { first, _ in first },
                    timeZone: config.timeZone, timeout: config.delivery.timeout)
            case .voice(let account):
                notifiers[channel.id] = VoiceNotifier(
                    account: account, phones: Dictionary(config.people.map { ($0.id, $0.phone) }) { first, _ in first },
                    timeout: config.delivery.timeout)
            }
        }
        contacts = Dictionary(
            config.people.map { ($0.id, $0.contacts.map(\.channel)) }, uniquingKeysWith: { first, _ in first })
        names = Dictionary(config.people.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
