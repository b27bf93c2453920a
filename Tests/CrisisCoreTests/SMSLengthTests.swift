import CrisisCore
import Testing

/// Counting an SMS the way a phone network does: GSM-7 septets (extension characters are two),
/// or UTF-16 units once any character is outside GSM-7, and the segments a long text takes.
struct SMSLengthTests {
    @Test func plainLatinTextIsGSM7OneSeptetACharacter() {
        let length = SMSLength("CRISIS CR-7K4P violence at Depot 4. Call back +4520000000.")
        #expect(length.alphabet == .gsm7)
        #expect(length.units == 58)
        #expect(length.segments == 1)
    }

    @Test func nordicLettersAreInGSM7() {
        let length = SMSLength("Århus, Ærø, Øster Søgade, Malmö")
        #expect(length.alphabet == .gsm7)
        #expect(length.units == 31)
    }

    @Test(arguments: ["^", "{", "}", "\\", "[", "~", "]", "|", "€"])
    func anExtensionCharacterCountsTwo(character: String) {
        let length = SMSLength("ab" + character)
        #expect(length.alphabet == .gsm7)
        #expect(length.units == 4)
    }

    @Test func oneCharacterOutsideGSM7MakesTheWholeTextUCS2() {
        let length = SMSLength("CRISIS at Łódź")
        #expect(length.alphabet == .ucs2)
        #expect(length.units == 14)
    }

    @Test func anEmojiIsTwoUTF16Units() {
        let length = SMSLength("ok 🚨")
        #expect(length.alphabet == .ucs2)
        #expect(length.units == 5)
    }

    @Test func theEllipsisIsNotGSM7() {
        #expect(SMSLength("Depot…").alphabet == .ucs2)
        #expect(SMSLength("Depot...").alphabet == .gsm7)
    }

    @Test(arguments: [
        (160, 1), (161, 2), (306, 2), (307, 3),
    ])
    func gsm7Takes160AloneAnd153APart(characters: Int, segments: Int) {
        #expect(SMSLength(String(repeating: "a", count: characters)).segments == segments)
    }

    @Test(arguments: [
        (70, 1), (71, 2), (134, 2), (135, 3),
    ])
    func ucs2Takes70AloneAnd67APart(characters: Int, segments: Int) {
        let text = "ł" + String(repeating: "a", count: characters - 1)
        #expect(SMSLength(text).segments == segments)
    }

    @Test func extensionCharactersCountTwiceTowardsTheLimit() {
        // 80 braces are 160 septets: one segment; one more character makes two.
        #expect(SMSLength(String(repeating: "{", count: 80)).segments == 1)
        #expect(SMSLength(String(repeating: "{", count: 80) + "a").segments == 2)
    }

    @Test func anEscapePairIsNeverSplitBetweenParts() {
        // 306 septets would be two parts of 153, but the brace after 152 moves whole to the second.
        let text = String(repeating: "a", count: 152) + "{" + String(repeating: "a", count: 152)
        #expect(SMSLength(text).units == 306)
        #expect(SMSLength(text).segments == 3)
    }

    @Test func aSurrogatePairIsNeverSplitBetweenParts() {
        // 134 units would be two parts of 67, but the emoji after 66 moves whole to the second.
        let text = String(repeating: "a", count: 66) + "🚨" + String(repeating: "a", count: 66)
        #expect(SMSLength(text).units == 134)
        #expect(SMSLength(text).segments == 3)
    }
}
