import Foundation

/// How a value is escaped before a generic gateway's template puts it somewhere: each value is
/// escaped for its place, so a template author writes `{{text}}` and gets a well-formed request.
public enum SMSValueEscaping: Sendable, Equatable {
    /// Percent-encoded (all but letters, digits and `-._~`): the URL, and form bodies.
    case percent
    /// The inside of a JSON string, without its quotes: `"` and `\` and control characters escaped.
    case json
    /// XML character escapes for `&<>"'`.
    case xml
    /// As it is, with control characters as spaces: headers and bodies of other types.
    case plain

    /// The escaping for a body of this media type (parameters such as `; charset=` ignored).
    public static func body(contentType: String) -> SMSValueEscaping {
        let type =
            contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if type == "application/x-www-form-urlencoded" { return .percent }
        if type == "application/json" || type.hasSuffix("+json") { return .json }
        if type.hasSuffix("/xml") || type.hasSuffix("+xml") { return .xml }
        return .plain
    }

    public func escape(_ value: String) -> String {
        switch self {
        case .percent:
            return value.utf8.map { byte in
                Self.unreserved.contains(byte) ? String(UnicodeScalar(byte)) : "%" + Self.hex(byte)
            }.joined()
        case .json:
            return value.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\"": "\\\""
                case "\\": "\\\\"
                case "\n": "\\n"
                case "\r": "\\r"
                case "\t": "\\t"
                case _ where scalar.value < 0x20: "\\u00" + Self.hex(UInt8(scalar.value))
                default: String(scalar)
                }
            }.joined()
        case .xml:
            return value.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "&": "&amp;"
                case "<": "&lt;"
                case ">": "&gt;"
                case "\"": "&quot;"
                case "'": "&apos;"
                default: String(scalar)
                }
            }.joined()
        case .plain:
            return String(
                String.UnicodeScalarView(
                    value.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        }
    }

    private static let unreserved = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
