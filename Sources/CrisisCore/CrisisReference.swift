import Foundation

/// A short crisis reference that can be read aloud on the phone, such as `CR-7K4P`.
///
/// The alphabet leaves out 0/O and 1/I/L, which sound or look alike.
public struct CrisisReference: Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let prefix = "CR-"
    public static let length = 4
    private static let alphabetBytes = Set(alphabet.map { $0.asciiValue! })

    public let rawValue: String

    /// Parses what a person typed: any case, with or without the `CR-` prefix.
    public init?(parsing text: String) {
        // Stored references are written this way: taken as they are, without the tidying.
        if text.utf8.count == Self.prefix.utf8.count + Self.length, text.hasPrefix(Self.prefix),
            text.utf8.dropFirst(Self.prefix.utf8.count).allSatisfy({ Self.alphabetBytes.contains($0) })
        {
            rawValue = text
            return
        }
        var body = text.trimmed().uppercased()
        if body.hasPrefix(Self.prefix) { body.removeFirst(Self.prefix.count) }
        guard body.count == Self.length, body.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        rawValue = Self.prefix + body
    }

    public static func random(using generator: inout some RandomNumberGenerator) -> CrisisReference {
        // Written whole, not parsed back: it is drawn from the alphabet.
        var text = prefix
        for _ in 0..<length { text.append(alphabet.randomElement(using: &generator)!) }
        return CrisisReference(drawn: text)
    }

    private init(drawn: String) {
        rawValue = drawn
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = CrisisReference(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a crisis reference: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
