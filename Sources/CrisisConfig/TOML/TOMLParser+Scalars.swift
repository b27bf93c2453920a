/// Values written without quotes: booleans, integers, floats, dates and times.
extension TOMLParser {
    mutating func bareValue() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        while let byte = peek(), Self.isTokenByte(byte) { index += 1 }
        // A date and its time may be separated by a space: 1979-05-27 07:32:00.
        if index - start == 10, Self.isDate(bytes[start..<index]), peek() == Byte.space,
            let tens = peek(1), let units = peek(2), Self.isDigit(tens), Self.isDigit(units), peek(3) == Byte.colon
        {
            index += 1
            while let byte = peek(), Self.isTokenByte(byte) { index += 1 }
        }
        guard index > start else { throw error("expected a value, found \(found())") }
        let token = bytes[start..<index]
        switch Self.scalar(token) {
        case .success(let value): return value
        case .failure(let problem): throw error(problem.reason, at: start)
        }
    }

    struct Problem: Error {
        let reason: String
    }

    static func scalar(_ token: ArraySlice<UInt8>) -> Result<TOMLValue, Problem> {
        let text = String(decoding: token, as: UTF8.self)
        switch text {
        case "true": return .success(.boolean(true))
        case "false": return .success(.boolean(false))
        case "inf", "+inf": return .success(.float(.infinity))
        case "-inf": return .success(.float(-.infinity))
        case "nan", "+nan", "-nan": return .success(.float(.nan))
        default: break
        }
        let bytes = Array(token)
        if bytes.count >= 10 && bytes[4] == UInt8(ascii: "-") && bytes.prefix(4).allSatisfy(isDigit) {
            return isDateTime(bytes)
                ? .success(.dateTime(text)) : .failure(Problem(reason: "\(text) is not a valid date or time"))
        }
        if bytes.count >= 5 && bytes[2] == Byte.colon {
            return isTime(bytes[...])
                ? .success(.dateTime(text)) : .failure(Problem(reason: "\(text) is not a valid time"))
        }
        guard let first = bytes.first, isDigit(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else {
            return .failure(Problem(reason: "\(text) is not a value (a string needs quotes: \"\(text)\")"))
        }
        return number(bytes, text: text)
    }

    private static func number(_ bytes: [UInt8], text: String) -> Result<TOMLValue, Problem> {
        let invalid = Problem(reason: "\(text) is not a valid number")
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), let radix = radix(bytes[1]) {
            let digits = bytes[2...]
            guard isUnderscored(digits, digit: { hexValue($0).map { Int($0) < radix } ?? false }) else {
                return .failure(invalid)
            }
            let cleaned = String(decoding: digits.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            guard let value = Int(cleaned, radix: radix) else {
                return .failure(Problem(reason: "\(text) is too large"))
            }
            return .success(.integer(value))
        }
        let signed = bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-")
        let body = bytes[(signed ? 1 : 0)...]
        let exponentAt = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(exponentAt ?? body.endIndex)]
        let pointAt = mantissa.firstIndex(of: Byte.dot)
        let whole = mantissa[..<(pointAt ?? mantissa.endIndex)]
        // No leading zeros: 007 is not a number in TOML.
        guard isUnderscored(whole, digit: isDigit), whole.count == 1 || whole.first != UInt8(ascii: "0") else {
            return .failure(invalid)
        }
        if let pointAt, !isUnderscored(mantissa[(pointAt + 1)...], digit: isDigit) { return .failure(invalid) }
        if let exponentAt {
            var exponent = body[(exponentAt + 1)...]
            if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") {
                exponent = exponent.dropFirst()
            }
            guard isUnderscored(exponent, digit: isDigit) else { return .failure(invalid) }
        }
        let cleaned = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if pointAt == nil && exponentAt == nil {
            guard let value = Int(cleaned) else {
                return .failure(Problem(reason: "\(text) is too large for a whole number"))
            }
            return .success(.integer(value))
        }
        guard let value = Double(cleaned), value.isFinite else {
            return .failure(Problem(reason: "\(text) is too large"))
        }
        return .success(.float(value))
    }

    private static func radix(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    /// Digits with single underscores between them: 1_000, not _1, 1_ or 1__0.
    private static func isUnderscored(_ bytes: ArraySlice<UInt8>, digit: (UInt8) -> Bool) -> Bool {
        guard let first = bytes.first, let last = bytes.last, digit(first), digit(last) else { return false }
        var previousWasDigit = false
        for byte in bytes {
            if byte == UInt8(ascii: "_") {
                guard previousWasDigit else { return false }
                previousWasDigit = false
            } else {
                guard digit(byte) else { return false }
                previousWasDigit = true
            }
        }
        return true
    }

    // MARK: - Dates and times (RFC 3339)

    /// 1979-05-27, 1979-05-27T07:32:00, 1979-05-27T07:32:00.999-07:00, 1979-05-27 07:32:00Z.
    private static func isDateTime(_ bytes: [UInt8]) -> Bool {
        guard isDate(bytes.prefix(10)) else { return false }
        if bytes.count == 10 { return true }
        guard [UInt8(ascii: "T"), UInt8(ascii: "t"), Byte.space].contains(bytes[10]) else { return false }
        var time = bytes[11...]
        if time.last == UInt8(ascii: "Z") || time.last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count >= 6, [UInt8(ascii: "+"), UInt8(ascii: "-")].contains(time[time.endIndex - 6]) {
            let offset = time.suffix(5)
            guard let hours = twoDigits(offset, at: 0), offset[offset.startIndex + 2] == Byte.colon,
                let minutes = twoDigits(offset, at: 3), hours < 24, minutes < 60
            else { return false }
            time = time.dropLast(6)
        }
        return isTime(time)
    }

    static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count == 10, bytes.prefix(4).allSatisfy(isDigit), bytes[bytes.startIndex + 4] == UInt8(ascii: "-"),
            let month = twoDigits(bytes, at: 5), bytes[bytes.startIndex + 7] == UInt8(ascii: "-"),
            let day = twoDigits(bytes, at: 8)
        else { return false }
        let year = bytes.prefix(4).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(month) && (1...days[month - 1]).contains(day)
    }

    /// 07:32:00, 07:32:00.5 or (as TOML 1.1 allows) 07:32.
    private static func isTime(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 5, let hours = twoDigits(bytes, at: 0), bytes[bytes.startIndex + 2] == Byte.colon,
            let minutes = twoDigits(bytes, at: 3), hours < 24, minutes < 60
        else { return false }
        if bytes.count == 5 { return true }
        guard bytes.count >= 8, bytes[bytes.startIndex + 5] == Byte.colon, let seconds = twoDigits(bytes, at: 6),
            seconds <= 60
        else { return false }
        if bytes.count == 8 { return true }
        return bytes.count > 9 && bytes[bytes.startIndex + 8] == Byte.dot && bytes.dropFirst(9).allSatisfy(isDigit)
    }

    private static func twoDigits(_ bytes: ArraySlice<UInt8>, at offset: Int) -> Int? {
        let start = bytes.startIndex + offset
        guard start + 1 < bytes.endIndex, isDigit(bytes[start]), isDigit(bytes[start + 1]) else { return nil }
        return Int(bytes[start] - UInt8(ascii: "0")) * 10 + Int(bytes[start + 1] - UInt8(ascii: "0"))
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// The bytes a bare value can be made of.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == Byte.dot || byte == Byte.colon
    }
}
