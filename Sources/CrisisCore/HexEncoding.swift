/// Lower-case hexadecimal, two digits a byte: how token hashes are written in the config and the
/// database. Built directly, not with `String(format:)` once a byte: that went through
/// Foundation's formatter and was 5 % of crisisd's CPU in an intake burst (one hash a request).
extension Sequence where Element == UInt8 {
    public var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
