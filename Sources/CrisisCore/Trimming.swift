/// White space trimmed from the ends of a text without bridging it to `NSString`: Foundation's
/// `trimmingCharacters(in:)` does, and on every request (a token, a site, a callback number) that
/// was 3 % of crisisd's CPU in an intake burst. It trims exactly what Foundation's character sets
/// hold (`TrimmingTests` holds it to them).
extension String {
    /// As `trimmingCharacters(in: .whitespaces)`, or `.whitespacesAndNewlines` with `newlines`.
    public func trimmed(newlines: Bool = false) -> String { self[...].trimmed(newlines: newlines) }
}

extension Substring {
    /// As `trimmingCharacters(in: .whitespaces)`, or `.whitespacesAndNewlines` with `newlines`.
    public func trimmed(newlines: Bool = false) -> String {
        let scalars = unicodeScalars
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            // Foundation's set still holds U+200B, a space in Unicode before 4.0.1.
            if scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator {
                return true
            }
            guard newlines else { return false }
            switch scalar.value {
            case 0x0A...0x0D, 0x85: return true
            default: return [.lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory)
            }
        }
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        // Up to the scalar after the last kept one, not the character: a Prepend scalar (U+0600)
        // makes one character of itself and the blank after it, which `...last` would keep.
        return String(self[first..<scalars.index(after: last)])
    }
}
