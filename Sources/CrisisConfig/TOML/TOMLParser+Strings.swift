/// The four kinds of TOML string: "basic", 'literal', and their multi-line forms.
extension TOMLParser {
    mutating func basicString() throws(TOMLSyntaxError) -> String {
        index += 1
        var text: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Byte.quote {
                index += 1
                return String(decoding: text, as: UTF8.self)
            } else if byte == Byte.backslash {
                try escape(into: &text)
            } else if byte == Byte.lineFeed || byte == Byte.carriageReturn {
                break
            } else if Self.isControl(byte) {
                throw error("a string may not hold \(found()); write it as an escape such as \\t")
            } else {
                text.append(byte)
                index += 1
            }
        }
        throw error("the string is not closed with \" before the end of the \(atEnd ? "file" : "line")")
    }

    mutating func multiLineBasicString() throws(TOMLSyntaxError) -> String {
        let start = index
        index += 3
        _ = skipNewline()  // a newline right after the opening quotes is not part of the string
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("the multi-line string is not closed with \"\"\"", at: start) }
            switch byte {
            case Byte.quote:
                if try closesMultiLineString(Byte.quote, into: &text) { return String(decoding: text, as: UTF8.self) }
            case Byte.backslash where endsLineAfterBackslash():
                // A backslash at the end of a line joins it to the next: the newlines and the
                // blanks up to the next text are left out.
                index += 1
                while true {
                    skipWhitespace()
                    if !skipNewline() { break }
                }
            case Byte.backslash:
                try escape(into: &text)
            default:
                try multiLineCharacter(byte, into: &text)
            }
        }
    }

    mutating func literalString() throws(TOMLSyntaxError) -> String {
        index += 1
        let start = index
        while true {
            guard let byte = peek(), byte != Byte.lineFeed, byte != Byte.carriageReturn else {
                throw error("the string is not closed with ' before the end of the \(atEnd ? "file" : "line")")
            }
            if byte == Byte.apostrophe {
                index += 1
                return String(decoding: bytes[start..<index - 1], as: UTF8.self)
            }
            if Self.isControl(byte) { throw error("a string may not hold \(found())") }
            index += 1
        }
    }

    mutating func multiLineLiteralString() throws(TOMLSyntaxError) -> String {
        let start = index
        index += 3
        _ = skipNewline()
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("the multi-line string is not closed with '''", at: start) }
            if byte == Byte.apostrophe {
                if try closesMultiLineString(Byte.apostrophe, into: &text) {
                    return String(decoding: text, as: UTF8.self)
                }
            } else {
                try multiLineCharacter(byte, into: &text)
            }
        }
    }

    /// At a run of quotes inside a multi-line string: three end it, and up to two more before
    /// those belong to the text. Fewer than three are text.
    private mutating func closesMultiLineString(_ quote: UInt8, into text: inout [UInt8]) throws(TOMLSyntaxError)
        -> Bool
    {
        let start = index
        while peek() == quote { index += 1 }
        let run = index - start
        if run > 5 { throw error("a multi-line string may end with at most five quotes in a row", at: start) }
        text.append(contentsOf: repeatElement(quote, count: run >= 3 ? run - 3 : run))
        return run >= 3
    }

    /// One byte of a multi-line string's text: newlines kept (CRLF read as LF), control
    /// characters refused.
    private mutating func multiLineCharacter(_ byte: UInt8, into text: inout [UInt8]) throws(TOMLSyntaxError) {
        if skipNewline() {
            text.append(Byte.lineFeed)
            return
        }
        if Self.isControl(byte) || byte == Byte.carriageReturn {
            throw error("a string may not hold \(found()); write it as an escape such as \\t")
        }
        text.append(byte)
        index += 1
    }

    /// Whether the backslash at the reading position has only blanks after it on its line.
    private func endsLineAfterBackslash() -> Bool {
        var position = index + 1
        while position < bytes.count, bytes[position] == Byte.space || bytes[position] == Byte.tab { position += 1 }
        guard position < bytes.count else { return false }
        return bytes[position] == Byte.lineFeed
            || (bytes[position] == Byte.carriageReturn && position + 1 < bytes.count
                && bytes[position + 1] == Byte.lineFeed)
    }

    /// `\n`, `\"`, `\u00E9` and the rest, at the backslash.
    private mutating func escape(into text: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = index
        index += 1
        guard let byte = peek(), byte != Byte.lineFeed, byte != Byte.carriageReturn else {
            throw error("a backslash must be followed by an escape such as \\n or \\\\", at: start)
        }
        index += 1
        switch byte {
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "t"): text.append(Byte.tab)
        case UInt8(ascii: "n"): text.append(Byte.lineFeed)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "r"): text.append(Byte.carriageReturn)
        case Byte.quote, Byte.backslash: text.append(byte)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let digit = peek().flatMap(Self.hexValue) else {
                    throw error(
                        "\\\(Character(UnicodeScalar(byte))) must be followed by \(count) hex digits", at: start)
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error("\\\(Character(UnicodeScalar(byte))) names no Unicode character", at: start)
            }
            UTF8.encode(scalar) { text.append($0) }
        case 0x21...0x7E:
            throw error("\\\(Character(UnicodeScalar(byte))) is not an escape (write \\\\ for a backslash)", at: start)
        default:
            throw error("a backslash must be followed by an escape such as \\n or \\\\", at: start)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
