/// How long a text is as an SMS: the alphabet it goes out in, its length in that alphabet's
/// units, and how many segments a phone receives it in (3GPP TS 23.038 and 23.040).
///
/// A text is GSM-7 when every character is in the GSM 7-bit default alphabet or its extension
/// table (`^{}\[~]|€`, each sent as two septets behind an escape); one character outside them
/// sends the whole text as UCS-2, counted in UTF-16 units (an emoji is two). A long text is split
/// into parts that carry a header each, so they hold less; an escape pair or a surrogate pair is
/// never split between two parts.
public struct SMSLength: Sendable, Equatable {
    public enum Alphabet: Sendable, Equatable {
        case gsm7
        case ucs2

        /// Units that fit one SMS on its own.
        public var singleSegment: Int { self == .gsm7 ? 160 : 70 }
        /// Units that fit each part of a multipart SMS.
        public var multipartSegment: Int { self == .gsm7 ? 153 : 67 }
    }

    public let alphabet: Alphabet
    /// Septets for GSM-7, UTF-16 units for UCS-2.
    public let units: Int
    public let segments: Int

    public init(_ text: String) {
        let gsm = text.unicodeScalars.map(Self.septets)
        let sizes: [Int]
        if gsm.allSatisfy({ $0 != nil }) {
            alphabet = .gsm7
            sizes = gsm.map { $0 ?? 0 }
        } else {
            alphabet = .ucs2
            sizes = text.unicodeScalars.map { $0.utf16.count }
        }
        units = sizes.reduce(0, +)
        guard units > alphabet.singleSegment else {
            segments = 1
            return
        }
        var parts = 1
        var used = 0
        for size in sizes {
            if used + size > alphabet.multipartSegment {
                parts += 1
                used = 0
            }
            used += size
        }
        segments = parts
    }

    /// The GSM 7-bit default alphabet, in table order (ESC, 0x1B, left out).
    private static let basic = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
            + "abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)
    /// The extension table: sent as ESC and a second septet.
    private static let extended = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// 1 or 2 septets in GSM-7, or nil when the character has none.
    private static func septets(_ scalar: Unicode.Scalar) -> Int? {
        if basic.contains(scalar) { return 1 }
        if extended.contains(scalar) { return 2 }
        return nil
    }
}
