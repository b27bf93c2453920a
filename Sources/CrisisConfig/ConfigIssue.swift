/// One problem in a config file, with its place: `people[2].contacts: unknown channel "sms"`.
public struct ConfigIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public let place: String
    public let message: String

    public init(_ place: String, _ message: String) {
        self.place = place
        self.message = message
    }

    public var description: String { place.isEmpty ? message : "\(place): \(message)" }
}

/// Every problem found in a config file: loading reports them all at once, not just the first.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public let issues: [ConfigIssue]

    public init(_ issues: [ConfigIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
