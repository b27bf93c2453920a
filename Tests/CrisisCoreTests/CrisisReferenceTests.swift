import CrisisCore
import Foundation
import Testing

struct CrisisReferenceTests {
    @Test func aRandomReferenceIsCRDashAndFourCharactersFromTheAlphabet() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let reference = CrisisReference.random(using: &generator)
            let text = reference.rawValue
            #expect(text.hasPrefix("CR-"))
            #expect(text.count == 7)
            let body = text.dropFirst(3)
            #expect(body.allSatisfy { CrisisReference.alphabet.contains($0) }, "\(text)")
            #expect(reference.description == text)
            #expect(CrisisReference(parsing: text) == reference)
        }
    }

    @Test func theAlphabetLeavesOutCharactersThatSoundOrLookAlike() {
        for ambiguous in Array("01OIL") {
            #expect(!CrisisReference.alphabet.contains(ambiguous), "\(ambiguous)")
        }
        #expect(CrisisReference.alphabet.count == 31)
        #expect(Set(CrisisReference.alphabet).count == CrisisReference.alphabet.count)
    }

    @Test func randomReferencesNeverUseAmbiguousCharacters() {
        var generator = SplitMix64(seed: 7)
        var seen = Set<Character>()
        for _ in 0..<2000 { seen.formUnion(CrisisReference.random(using: &generator).rawValue.dropFirst(3)) }
        #expect(seen.isDisjoint(with: Array("01OIL")))
        // Over 8000 draws every character of the alphabet turns up.
        #expect(seen == Set(CrisisReference.alphabet))
    }

    @Test func aSeededGeneratorGivesDistinctReferences() {
        var generator = SplitMix64(seed: 2026)
        let references = (0..<100).map { _ in CrisisReference.random(using: &generator) }
        #expect(Set(references).count == references.count)
    }

    @Test func theSameSeedGivesTheSameReferences() {
        var first = SplitMix64(seed: 99)
        var second = SplitMix64(seed: 99)
        let a = (0..<10).map { _ in CrisisReference.random(using: &first) }
        let b = (0..<10).map { _ in CrisisReference.random(using: &second) }
        #expect(a == b)
    }

    @Test(arguments: [
        ("CR-7K4P", "CR-7K4P"),
        ("cr-7k4p", "CR-7K4P"),
        ("7K4P", "CR-7K4P"),
        ("7k4p", "CR-7K4P"),
        ("  CR-7K4P  ", "CR-7K4P"),
        ("Cr-zz99", "CR-ZZ99"),
    ])
    func parsingAcceptsAnyCaseWithOrWithoutThePrefix(typed: String, expected: String) {
        #expect(CrisisReference(parsing: typed)?.rawValue == expected)
    }

    @Test(arguments: [
        "CR-7K0P",  // zero
        "CR-7KOP",  // letter O
        "CR-7K1P",  // one
        "CR-7KIP",  // letter I
        "CR-7KLP",  // letter L
        "cr-7klp",  // lower-case l
        "CR-7K4",  // too short
        "CR-7K4PQ",  // too long
        "7K4PQ",
        "",
        "CR-",
        "CR7K4P",  // prefix without its dash
        "CR-7K-P",
        "CR-7K4P!",
    ])
    func parsingRejectsAmbiguousCharactersAndWrongLengths(typed: String) {
        #expect(CrisisReference(parsing: typed) == nil)
    }

    @Test func aReferenceDecodesFromWhatAPersonTypedAndEncodesCanonically() throws {
        let decoded = try JSONDecoder().decode([CrisisReference].self, from: Data(#"["cr-7k4p"]"#.utf8))
        #expect(decoded.map(\.rawValue) == ["CR-7K4P"])
        let encoded = String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self)
        #expect(encoded == #"["CR-7K4P"]"#)
    }

    @Test func decodingAnInvalidReferenceFails() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CrisisReference].self, from: Data(#"["CR-0000"]"#.utf8))
        }
    }
}
