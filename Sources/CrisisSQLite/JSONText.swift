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

    /// A list `array` wrote, read without `JSONDecoder` when none of its strings holds an escape or
    /// a control character (person ids never do); nil for anything else, which `JSONDecoder` reads.
    /// Reading a crisis's assigned people through `JSONDecoder` was 6 % of a pass's time per crisis.
    static func plainList(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"),
            !bytes.contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 })
        else { return nil }
        if bytes.count == 2 { return [] }
        var items: [String] = []
        var index = 1
        while true {
            guard index < bytes.count - 1, bytes[index] == UInt8(ascii: "\""),
                let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "\""))
            else { return nil }
            items.append(String(decoding: bytes[(index + 1)..<close], as: UTF8.self))
            index = close + 1
            if index == bytes.count - 1 { return items }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    /// A JSON string, escaped as `JSONEncoder` escapes it (`/` as `\/`, controls as `\u00XX`).
    static func string(_ value: String, into text: inout String) {
        text += "\""
        // Most values (references, kinds, ids, instants) need no escape: appended whole, not a
        // character at a time (the journal's JSON was a sixth of an intake's time in the writer).
        let needsEscape = value.utf8.contains {
            $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/")
        }
        guard needsEscape else {
            text += value
            text += "\""
            return
        }
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
