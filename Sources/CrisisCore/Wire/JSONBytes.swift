import Foundation

/// JSON text as `JSONEncoder` writes it with `.sortedKeys` and `.withoutEscapingSlashes`: no
/// spaces, `"` `\` and control characters escaped (`\u00XX` in lower case but for the short
/// forms), the rest as UTF-8; dates as `JSONEncoder`'s `.iso8601` does (UTC, whole seconds
/// rounded down). The caller writes keys in sorted order, and writes a value with `JSONEncoder`
/// instead when `covers` says no.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []
    private var first = true

    init() {
        bytes.reserveCapacity(768)
    }

    /// Whether the writer writes these dates and these dictionary keys as the encoder does: dates
    /// in the years 1000-9999, keys in ASCII (a non-ASCII key's sorted place is the encoder's
    /// business).
    static func covers(_ dates: [Date], keys: [String] = []) -> Bool {
        dates.allSatisfy { civil($0) != nil } && keys.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
    }

    mutating func object(_ fields: (inout JSONBytes) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        first = true
        fields(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func array<Element>(_ elements: [Element], _ write: (inout JSONBytes, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    mutating func field(_ key: String, _ value: (inout JSONBytes) -> Void) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(key)
        bytes.append(UInt8(ascii: ":"))
        value(&self)
        first = false
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func date(_ date: Date) {
        guard let (year, month, day, secondOfDay) = Self.civil(date) else { return }
        bytes.append(UInt8(ascii: "\""))
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        bytes.append(contentsOf: Array("Z\"".utf8))
    }

    private mutating func digits(_ value: Int, _ count: Int) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var value = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor))
            value %= divisor
            divisor /= 10
        }
    }

    /// The UTC day and second of `date`, its seconds rounded down; nil outside the years 1000-9999.
    private static func civil(_ date: Date) -> (year: Int, month: Int, day: Int, second: Int)? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 400_000_000_000 else { return nil }
        let whole = Int(seconds)
        let dayNumber = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let (year, month, day) = CivilDay.date(dayNumber)
        guard (1000...9999).contains(year) else { return nil }
        return (year, month, day, whole - dayNumber * 86_400)
    }
}
