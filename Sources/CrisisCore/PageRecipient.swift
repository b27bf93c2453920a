/// One person on one channel: what a per-recipient rate limit counts by.
public struct PageRecipient: Hashable, Sendable, CustomStringConvertible {
    public var person: String
    public var channel: String

    public init(person: String, channel: String) {
        self.person = person
        self.channel = channel
    }

    public var description: String { "\(person) on \(channel)" }
}
