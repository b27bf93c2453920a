/// Phone numbers as people type them: `+45 20 00 00 01`, `(555) 010-0100`.
public enum PhoneNumber {
    /// True when the text has 3 to 20 digits, an optional leading `+`, and only spaces, dashes,
    /// dots and parentheses between them.
    public static func isPlausible(_ text: String) -> Bool {
        var digits = 0
        for (index, character) in text.enumerated() {
            switch character {
            case "0"..."9": digits += 1
            case "+" where index == 0: continue
            case " ", "-", ".", "(", ")": continue
            default: return false
            }
        }
        return (3...20).contains(digits)
    }
}
