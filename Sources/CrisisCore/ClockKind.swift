/// The name of a clock rule (`ack`, `contact`, `onsite` in the defaults; an administrator may add
/// more). It is what the database, the journal and page bodies record for a clock.
///
/// A name is lower-case letters, digits, `-` and `_`, starting with a letter, at most 32
/// characters, so it is safe in a page, a journald field and a metric label.
public struct ClockKind: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// For names written in code (tests, the defaults); a bad literal is a programming error.
    public init(stringLiteral value: String) {
        precondition(Self.isValid(value), "\"\(value)\" is not a clock name")
        self.rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = ClockKind(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a clock name"))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: ClockKind, rhs: ClockKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public static func isValid(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.unicodeScalars.count <= 32
        else { return false }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }

    /// What a config or a request is told when a name is not valid.
    public static let rule = "lower-case letters, digits, - and _, starting with a letter, at most 32 characters"
}

/// How a clock ended. A running clock has none.
public enum ClockOutcome: String, Codable, Sendable {
    case met
    case waived
    case breached
}
