/// The JSON a journal entry's data and a crisis's list columns are stored as, written directly:
/// the same text Foundation's `JSONEncoder` writes with `.sortedKeys` (a journal read back by
/// an older crisisd, or by `sqlite3`, sees no difference), at a fraction of the cost. Encoding
/// each journal entry's data through `JSONEncoder` was 7 % of crisisd's CPU in an intake burst.
enum JSONText {
    /// `{"a":"1","b":"2"}`, keys in `JSONEncoder`'s sorted order.
    static func object(_ map: [String: String]) -> String {
        var text = "{"
        // JSONEncoder's .sortedKeys compares keys as Swift strings do.
        for (index, key) in map.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            string(key, into: &text)
            text += ":"
            string(map[key]!, into: &text)
        }
        return text + "}"
    }

    /// `["a","b"]`.
    static func array(_ list: [String]) -> String {
        var text = "["
        for (index, item) in list.enumerated() {
            if index > 0 { text += "," }
            string(item, into: &text)
        }
        return text + "]"
    }

    /// A JSON string, escaped as `JSONEncoder` escapes it (`/` as `\/`, controls as `\u00XX`).
    static func string(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "/": text += "\\/"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
