import CrisisCore
import Testing

struct PhoneNumberTests {
    @Test(arguments: [
        ("+45 20 00 00 01", true),
        ("+4520000001", true),
        ("(555) 010-0100", true),
        ("555.010.0100", true),
        ("112", true),
        ("+1 (555) 010-0100", true),
        (String(repeating: "9", count: 20), true),
        ("12", false),
        ("", false),
        ("+", false),
        ("  ", false),
        (String(repeating: "9", count: 21), false),
        ("++4520000001", false),
        ("45+20000001", false),
        ("20 00 00 0l", false),
        ("call 20000001", false),
        ("20000001 ext 4", false),
        ("+45/20000001", false),
    ])
    func plausibleNumbersHaveThreeToTwentyDigitsAndCommonSeparators(text: String, plausible: Bool) {
        #expect(PhoneNumber.isPlausible(text) == plausible)
    }
}
