import Foundation
import Testing

@testable import CrisisSQLite

/// The journal's JSON is written directly; it must be exactly what `JSONEncoder` with sorted keys
/// writes, so that rows written before and after read the same, and any JSON reader reads them.
@Suite struct JSONTextTests {
    static let awkward = [
        "", "plain", "Depot 4, Albertslund", "quote \" backslash \\ slash /", "line\nbreak\ttab\r",
        "\u{08}\u{0C}\u{01}\u{1F}\u{7F}", "Rådhus æøå", "emoji 🚑", "ends with \\",
        "{\"json\":\"inside\"}", "é composed vs e\u{301}",
    ]

    @Test func mapsAreWrittenAsJSONEncoderWritesThemWithSortedKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var maps: [[String: String]] = [[:], ["only": "one"]]
        maps.append(Dictionary(uniqueKeysWithValues: Self.awkward.enumerated().map { ("k\($0.offset)", $0.element) }))
        maps.append(Dictionary(uniqueKeysWithValues: Self.awkward.map { ($0, $0) }))
        maps.append(["b": "2", "a": "1", "B": "3", "aa": "4", "Z": "5", "_": "6", "10": "7", "9": "8"])
        for map in maps {
            let expected = String(decoding: try encoder.encode(map), as: UTF8.self)
            #expect(JSONText.object(map) == expected)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(JSONText.object(map).utf8)) == map)
        }
    }

    /// The fast reading of a list gives what `JSONDecoder` gives, or leaves the text to it.
    @Test func plainListsAreReadAsJSONDecoderReadsThem() throws {
        var texts = [
            "[]", "[\"anna\"]", "[\"anna\",\"bo\"]", "[\"\"]", "[\"\",\"\"]", "[\"Rådhus æøå\",\"🚑\"]",
            "[ \"anna\" ]", "[\"anna\",]", "[\"anna\" ,\"bo\"]", "[\"a\"\"b\"]", "[\"a", "[", "]", "", "x",
            "[\"a\\\"b\"]", "[\"a\\/b\"]", "[\"tab\there\"]", "[\"a\",\"b\"]]", "[[\"a\"]]", "[1]", "{}",
        ]
        texts += [[], ["anna"], ["anna", "bo", "carl"], Self.awkward].map(JSONText.array)
        for text in texts {
            let decoded = try? JSONDecoder().decode([String].self, from: Data(text.utf8))
            if let plain = JSONText.plainList(text) {
                #expect(plain == decoded, "\(text)")
            }
            #expect(SQLiteCrisisStore.decodeList(text) == (decoded ?? []), "\(text)")
        }
        #expect(JSONText.plainList("[\"anna\",\"bo\"]") == ["anna", "bo"])
        #expect(JSONText.plainList("[\"a\\/b\"]") == nil, "escapes are JSONDecoder's to read")
    }

    @Test func listsAreWrittenAsJSONEncoderWritesThem() throws {
        for list in [[], ["anna"], ["anna", "bo"], Self.awkward] {
            let expected = String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
            #expect(JSONText.array(list) == expected)
        }
    }
}
