import CrisisCore
import Foundation

/// `contacts` on `[[people]]`: channel ids, paged at once (`["push", "sms"]`), or contact rules
/// with a delay until acknowledged (`[{ channel = "push", after = "0s" }, { channel = "sms", after = "1m" }]`),
/// or both mixed.
extension ConfigLoader {
    static func readContacts(_ section: TableReader, channels: [Channel], sink: IssueSink) -> [Contact] {
        guard let value = section.raw("contacts") else {
            section.issue("contacts", "is required")
            return []
        }
        guard let list = value.array else {
            section.issue(
                "contacts", "must be a list of channel ids or { channel, after } tables, not \(describe(value))")
            return []
        }
        if list.isEmpty { section.issue("contacts", "must name at least one channel") }
        var contacts: [Contact] = []
        for (index, element) in list.enumerated() {
            let place = section.path("contacts") + "[\(index)]"
            var contact: Contact?
            switch element {
            case .string(let channel):
                contact = Contact(channel: channel)
            case .table(let table):
                let rule = TableReader(table, place: place, sink: sink)
                let channel = rule.string("channel", required: true)
                let after = delay(rule)
                rule.rejectUnknownKeys()
                if let channel, let after { contact = Contact(channel: channel, after: after) }
            default:
                sink.add(ConfigIssue(place, "must be a channel id or { channel, after }, not \(describe(element))"))
            }
            guard let contact else { continue }
            guard channels.contains(where: { $0.id == contact.channel }) else {
                sink.add(ConfigIssue(place, "unknown channel \"\(contact.channel)\""))
                continue
            }
            contacts.append(contact)
        }
        return contacts
    }

    /// `after`: "0s" (the default) or a duration up to a day.
    private static func delay(_ rule: TableReader) -> TimeInterval? {
        guard let text = rule.string("after") else { return rule.has("after") ? nil : 0 }
        if text == "0s" || text == "0" { return 0 }
        guard let span = TimeSpan(parsing: text) else {
            rule.issue("after", "\"\(text)\" is not a duration (use 0s, 30s, 1m or 3m)")
            return nil
        }
        guard span.seconds <= Contact.longestDelay else {
            rule.issue("after", "(\(span)) is longer than a day: escalation moves on long before")
            return nil
        }
        return span.seconds
    }
}
