import CrisisCore
import Foundation
import Testing

/// `trimmed` must trim what Foundation's `trimmingCharacters(in:)` trims, character set for
/// character set: a site or a token read one way here and another way elsewhere would not match.
struct TrimmingTests {
    @Test(arguments: [false, true])
    func everyScalarOfTheFirstTwoPlanesIsTrimmedAsFoundationTrimsIt(newlines: Bool) {
        let set: CharacterSet = newlines ? .whitespacesAndNewlines : .whitespaces
        var differing: [String] = []
        for value in UInt32(0)...0x1FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            // Each scalar at both ends, and before and after a blank at both ends: some (Prepend,
            // such as U+0600) join the blank after them into one character.
            for text in [
                "\(scalar)\(scalar)a\(scalar)b\(scalar)", "a\(scalar) ", " \(scalar)a", "\(scalar) ", " \(scalar)",
                "a\(scalar)\u{A0}",
            ] where text.trimmed(newlines: newlines) != text.trimmingCharacters(in: set) {
                differing.append(String(value, radix: 16))
            }
        }
        #expect(differing.isEmpty, "U+\(differing.prefix(20).joined(separator: ", U+"))")
    }

    @Test func mixedBlanksAndTextAgreeWithFoundation() {
        let pieces = [
            "", " ", "\t", "\n", "\r\n", "\u{A0}", "\u{2028}", "\u{3000}", "x", "é", "e\u{301}", "\u{301}", "🚑",
            "  y  ",
        ]
        var random = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            #expect(text.trimmed() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            #expect(
                text.trimmed(newlines: true) == text.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(text.debugDescription)")
            #expect(text.dropFirst().trimmed() == text.dropFirst().trimmingCharacters(in: .whitespaces))
        }
    }
}
