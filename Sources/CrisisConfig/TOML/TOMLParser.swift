/// Reads TOML 1.0 into `TOMLTable`s, in Swift. It replaced a C++ library whose parser aborted
/// the process on some malformed headers (`[[[x`, `[!]`): here every input either parses or
/// throws a `TOMLSyntaxError` with its line and column. Lists and inline tables nest at most
/// `maxDepth` deep and dotted keys have at most `maxKeyParts` parts, so no input can exhaust
/// the stack; every step of the loop consumes input or throws, so none can hang it.
///
/// One extension of TOML 1.1 is accepted: a time may leave out its seconds (`08:00`), so that an
/// unquoted `start = 2026-11-02T08:00` gets the config's own message rather than a syntax error.
public struct TOMLParser {
    static let maxDepth = 64
    static let maxKeyParts = 64

    let bytes: [UInt8]
    var index = 0

    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8))
        return try parser.document()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // a byte-order mark
    }

    // MARK: - The file, line by line

    private mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
        let root = TOMLTableNode(.header)
        var current = (table: root, place: [String]())
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case Byte.hash, Byte.lineFeed, Byte.carriageReturn: break
            case Byte.openBracket: current = try header(in: root)
            default: try keyValue(into: current.table, place: current.place)
            }
            try endOfLine()
        }
        return root.table()
    }

    /// What may follow a header or a key/value: blanks, perhaps a comment, then a newline.
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipWhitespace()
        if peek() == Byte.hash { try comment() }
        if atEnd || skipNewline() { return }
        throw error("expected the end of the line, found \(found())")
    }

    /// `[a.b]` or `[[a.b]]`: the table that the following key/value lines fill.
    private mutating func header(in root: TOMLTableNode) throws(TOMLSyntaxError) -> (
        table: TOMLTableNode, place: [String]
    ) {
        let start = index
        index += 1
        let arrayOfTables = peek() == Byte.openBracket
        if arrayOfTables { index += 1 }
        skipWhitespace()
        let keys = try key()
        skipWhitespace()
        let closing = arrayOfTables ? "]]" : "]"
        guard peek() == Byte.closeBracket, !arrayOfTables || peek(1) == Byte.closeBracket else {
            throw error("the table header is not closed with \(closing), found \(found())")
        }
        index += arrayOfTables ? 2 : 1
        do throws(TOMLTableNode.Conflict) {
            return (try root.open(header: keys, arrayOfTables: arrayOfTables), keys)
        } catch {
            throw self.error(error.reason, at: start)
        }
    }

    private mutating func keyValue(into table: TOMLTableNode, place: [String]) throws(TOMLSyntaxError) {
        let start = index
        let keys = try key()
        skipWhitespace()
        guard peek() == Byte.equals else {
            throw error("expected = after the key \(TOMLTableNode.name(keys)), found \(found())")
        }
        index += 1
        skipWhitespace()
        let value = try value(depth: 0)
        do throws(TOMLTableNode.Conflict) {
            try table.assign(keys, value, place: place)
        } catch {
            throw self.error(error.reason, at: start)
        }
    }

    /// A key, dotted or not: `name`, `"quoted name"`, `a.b.'c'`.
    private mutating func key() throws(TOMLSyntaxError) -> [String] {
        var parts = [try simpleKey()]
        while true {
            let beforeBlanks = index
            skipWhitespace()
            guard peek() == Byte.dot else {
                index = beforeBlanks
                return parts
            }
            index += 1
            skipWhitespace()
            guard parts.count < Self.maxKeyParts else {
                throw error("a dotted key may have at most \(Self.maxKeyParts) parts")
            }
            parts.append(try simpleKey())
        }
    }

    private mutating func simpleKey() throws(TOMLSyntaxError) -> String {
        switch peek() {
        case Byte.quote?, Byte.apostrophe?:
            if peek(1) == peek() && peek(2) == peek() { throw error("a key cannot be a multi-line string") }
            return peek() == Byte.quote ? try basicString() : try literalString()
        default:
            let start = index
            while index < bytes.count && Self.isBareKeyByte(bytes[index]) { index += 1 }
            guard index > start else {
                throw error("expected a key (letters, digits, - and _, or a quoted name), found \(found())")
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    // MARK: - Values

    mutating func value(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        switch peek() {
        case nil:
            throw error("expected a value, found the end of the file")
        case Byte.quote?:
            return .string(
                peek(1) == Byte.quote && peek(2) == Byte.quote ? try multiLineBasicString() : try basicString())
        case Byte.apostrophe?:
            return .string(
                peek(1) == Byte.apostrophe && peek(2) == Byte.apostrophe
                    ? try multiLineLiteralString() : try literalString())
        case Byte.openBracket?:
            return try array(depth: depth + 1)
        case Byte.openBrace?:
            return try inlineTable(depth: depth + 1)
        default:
            return try bareValue()
        }
    }

    /// `[1, 2, 3]`, over several lines if need be, with comments and a trailing comma.
    private mutating func array(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        guard depth <= Self.maxDepth else {
            throw error("lists and inline tables nest more than \(Self.maxDepth) deep")
        }
        let start = index
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            if atEnd { throw error("the list is not closed with ]", at: start) }
            if peek() == Byte.closeBracket {
                index += 1
                return .array(elements)
            }
            elements.append(try value(depth: depth))
            try skipBlankLines()
            switch peek() {
            case nil:
                throw error("the list is not closed with ]", at: start)
            case Byte.comma?:
                index += 1
            case Byte.closeBracket?:
                index += 1
                return .array(elements)
            default:
                throw error("expected , or ] after a list item, found \(found())")
            }
        }
    }

    /// `{ key = value, ... }`, on one line, with no trailing comma (TOML 1.0).
    private mutating func inlineTable(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        guard depth <= Self.maxDepth else {
            throw error("lists and inline tables nest more than \(Self.maxDepth) deep")
        }
        index += 1
        let table = TOMLTableNode(.header)
        skipWhitespace()
        if peek() == Byte.closeBrace {
            index += 1
            return .table(table.table())
        }
        while true {
            let start = index
            let keys = try key()
            skipWhitespace()
            guard peek() == Byte.equals else {
                throw error("expected = after the key \(TOMLTableNode.name(keys)), found \(found())")
            }
            index += 1
            skipWhitespace()
            let value = try value(depth: depth)
            do throws(TOMLTableNode.Conflict) {
                try table.assign(keys, value)
            } catch {
                throw self.error(error.reason, at: start)
            }
            skipWhitespace()
            switch peek() {
            case Byte.comma?:
                index += 1
                skipWhitespace()
                if peek() == Byte.closeBrace { throw error("an inline table may not end with a comma") }
            case Byte.closeBrace?:
                index += 1
                return .table(table.table())
            case nil, Byte.lineFeed?, Byte.carriageReturn?:
                throw error("an inline table must be closed with } on the line it opens")
            default:
                throw error("expected , or } in the inline table, found \(found())")
            }
        }
    }

    // MARK: - Reading bytes

    var atEnd: Bool { index >= bytes.count }

    func peek(_ ahead: Int = 0) -> UInt8? { index + ahead < bytes.count ? bytes[index + ahead] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count && (bytes[index] == Byte.space || bytes[index] == Byte.tab) { index += 1 }
    }

    /// Consumes one newline (LF or CRLF) if there is one.
    mutating func skipNewline() -> Bool {
        if peek() == Byte.lineFeed {
            index += 1
            return true
        }
        if peek() == Byte.carriageReturn && peek(1) == Byte.lineFeed {
            index += 2
            return true
        }
        return false
    }

    /// Blanks, comments and newlines, as a list may hold between its items.
    private mutating func skipBlankLines() throws(TOMLSyntaxError) {
        while true {
            skipWhitespace()
            if peek() == Byte.hash { try comment() }
            if !skipNewline() { return }
        }
    }

    /// From `#` to the end of the line.
    private mutating func comment() throws(TOMLSyntaxError) {
        index += 1
        // Byte by byte without helpers: comments are most of a commented config.
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x20 && byte != 0x7F || byte == Byte.tab {
                index += 1
            } else if byte == Byte.lineFeed || (byte == Byte.carriageReturn && peek(1) == Byte.lineFeed) {
                return
            } else {
                throw error("a comment may not hold \(found())")
            }
        }
    }

    /// A-Z, a-z, 0-9, - and _, compared directly: this runs for every byte of every key.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D
            || byte == 0x5F
    }

    /// Control characters other than tab, which TOML allows only as escapes.
    static func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != Byte.tab) || byte == 0x7F }

    /// What stands at the reading position, for a message: `"x"`, a control character, the end.
    func found() -> String {
        guard let byte = peek() else { return "the end of the file" }
        if byte == Byte.lineFeed || (byte == Byte.carriageReturn && peek(1) == Byte.lineFeed) {
            return "the end of the line"
        }
        if byte < 0x80 && Self.isControl(byte) || byte == Byte.carriageReturn {
            return "a control character (U+\(String(byte, radix: 16, uppercase: true).paddedHex))"
        }
        let end = min(bytes.count, index + 4)
        let character = String(decoding: bytes[index..<end], as: UTF8.self).first.map(String.init) ?? "?"
        return character == "\"" ? "'\"'" : "\"\(character)\""
    }

    /// An error at `offset` (else the reading position), with its line and column.
    func error(_ reason: String, at offset: Int? = nil) -> TOMLSyntaxError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for position in 0..<offset where bytes[position] == Byte.lineFeed {
            line += 1
            lineStart = position + 1
        }
        // Columns count characters, so UTF-8 continuation bytes are left out.
        let column = bytes[lineStart..<offset].count { $0 & 0xC0 != 0x80 } + 1
        return TOMLSyntaxError(line: line, column: column, reason: reason)
    }
}

/// The bytes the grammar names.
enum Byte {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let hash = UInt8(ascii: "#")
    static let equals = UInt8(ascii: "=")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
}

extension String {
    /// At least four hex digits, as in U+000A.
    var paddedHex: String { String(repeating: "0", count: max(0, 4 - count)) + self }
}
