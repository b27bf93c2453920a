import Foundation

/// One way a person is paged, and how long after the page is decided it goes out on it while
/// nobody has acknowledged: `{ channel = "sms", after = "1m" }`. A plain channel id is `after = 0`.
public struct Contact: Sendable, Hashable, Codable, ExpressibleByStringLiteral {
    public var channel: String
    /// Seconds after the page is decided. An acknowledgement meanwhile stops the crisis page.
    public var after: TimeInterval

    public init(channel: String, after: TimeInterval = 0) {
        self.channel = channel
        self.after = after
    }

    public init(stringLiteral channel: String) {
        self.init(channel: channel)
    }

    /// The longest delay a contact may have: later than this, escalation has long moved on.
    public static let longestDelay: TimeInterval = 24 * 3600

    /// A contact at once is written as its channel id, as before delays existed.
    public func encode(to encoder: any Encoder) throws {
        if after == 0 {
            var container = encoder.singleValueContainer()
            try container.encode(channel)
        } else {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(channel, forKey: .channel)
            try container.encode(after, forKey: .after)
        }
    }

    public init(from decoder: any Decoder) throws {
        if let channel = try? decoder.singleValueContainer().decode(String.self) {
            self.init(channel: channel)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            channel: try container.decode(String.self, forKey: .channel),
            after: try container.decodeIfPresent(TimeInterval.self, forKey: .after) ?? 0)
    }

    enum CodingKeys: String, CodingKey {
        case channel, after
    }
}
