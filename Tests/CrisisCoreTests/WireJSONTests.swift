import CrisisCore
import Foundation
import Testing

/// A webhook's body and an intake's receipt are written without `JSONEncoder`, and must be
/// exactly what it would write: receivers verify the signature over a page's bytes, and parse
/// both with their own JSON.
@Suite struct WireJSONTests {
    /// What a site, a name or a call-back number may hold: quotes, backslashes, slashes, every
    /// control character, DEL, accented letters, a line separator, an emoji.
    static let characters: [Character] =
        Array("abcXYZ019 +-_:/.,\"\\é€Æ😀\u{2028}\u{7F}") + (0..<32).map { Character(Unicode.Scalar(UInt8($0))) }

    func text(_ random: inout SplitMix64, upTo length: Int = 12) -> String {
        String(
            (0..<Int.random(in: 0...length, using: &random)).map { _ in Self.characters.randomElement(using: &random)! }
        )
    }

    func clockName(_ random: inout SplitMix64) -> ClockKind {
        let letters = Array("abz")
        let rest = Array("az09-_")
        let name =
            String(letters.randomElement(using: &random)!)
            + String((0..<Int.random(in: 0...6, using: &random)).map { _ in rest.randomElement(using: &random)! })
        return ClockKind(rawValue: name)!
    }

    /// From 1969 to 2100, with fractions of a second either side of whole ones.
    func date(_ random: inout SplitMix64) -> Date {
        let whole = Double(Int.random(in: -86_400 * 400...4_102_444_800, using: &random))
        let fraction = [0, 0.0004, 0.5, 0.9996, Double.random(in: 0..<1, using: &random)].randomElement(using: &random)!
        return Date(timeIntervalSince1970: whole + fraction)
    }

    func message(_ random: inout SplitMix64) -> PageMessage {
        let receivedAt = date(&random)
        let clocks = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            ResponseClock(
                kind: clockName(&random), label: text(&random), stop: .milestone(.contacted), startedAt: receivedAt,
                dueAt: date(&random))
        }
        var message = PageMessage(
            id: "CR-7K4P-page-\(Int.random(in: 1...99_999, using: &random))",
            kind: [PageMessage.Kind.crisis, .warning, .breach, .exhausted, .receipt, .ackNotice].randomElement(
                using: &random)!,
            clock: Bool.random(using: &random) ? clockName(&random) : nil,
            reference: CrisisReference(parsing: "CR-7K4P")!,
            category: CrisisCategory.allCases.randomElement(using: &random)!, site: text(&random, upTo: 40),
            callback: text(&random), drill: Bool.random(using: &random), receivedAt: receivedAt, clocks: clocks,
            recipient: text(&random), step: Int.random(in: 1...12, using: &random),
            attempt: Int.random(in: 1...10, using: &random), publicURL: "https://crisis.example.org/" + text(&random),
            ackToken: Bool.random(using: &random) ? text(&random) : nil,
            acknowledgedBy: Bool.random(using: &random) ? text(&random) : nil)
        if Bool.random(using: &random) {
            message.also = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                var other = message
                other.id = text(&random)
                other.site = text(&random)
                other.callback = text(&random)
                return PageMessage.Waiting(other)
            }
        }
        return message
    }

    /// `count` values made from one seed, each written by `json` exactly as the encoder writes it.
    func expectWrittenAsTheEncoderWrites<Value: Encodable>(
        _ count: Int, seed: UInt64, _ make: (inout SplitMix64) -> Value, json: (Value) -> [UInt8]
    ) throws {
        var random = SplitMix64(seed: seed)
        for index in 0..<count {
            let value = make(&random)
            let expected = Array(try JSONCoding.encoder().encode(value))
            let written = json(value)
            let same = written == expected
            #expect(
                same,
                "value \(index):\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))"
            )
            if !same { return }
        }
    }

    @Test func twoThousandMessagesAreWrittenByteForByteAsJSONEncoderWritesThem() throws {
        try expectWrittenAsTheEncoderWrites(2000, seed: 20_261_207, message) { $0.json }
    }

    func receipt(_ random: inout SplitMix64) -> IntakeReceipt {
        let receivedAt = date(&random)
        func maybe<T>(_ value: T, _ random: inout SplitMix64) -> T? { Bool.random(using: &random) ? value : nil }
        let clocks = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            ResponseClock(
                kind: clockName(&random), label: text(&random),
                stop: Bool.random(using: &random) ? .acknowledgement : .milestone(.contacted), startedAt: receivedAt,
                dueAt: date(&random), warnAt: maybe(date(&random), &random), warnedAt: maybe(date(&random), &random),
                outcome: maybe([ClockOutcome.met, .waived, .breached].randomElement(using: &random)!, &random),
                endedAt: maybe(date(&random), &random), endedBy: maybe(text(&random), &random),
                reason: maybe(text(&random), &random))
        }
        return IntakeReceipt(
            reference: CrisisReference(parsing: "CR-7K4P")!, created: Bool.random(using: &random),
            receivedAt: receivedAt,
            drill: Bool.random(using: &random),
            paged: (0..<Int.random(in: 0...3, using: &random)).map { _ in
                IntakeReceipt.Paged(
                    person: text(&random), name: text(&random), phone: text(&random), reason: text(&random, upTo: 40))
            }, noOneOnDuty: Bool.random(using: &random), clocks: clocks)
    }

    /// The API's answer to an intake is written the same way.
    @Test func twoThousandReceiptsAreWrittenByteForByteAsJSONEncoderWritesThem() throws {
        try expectWrittenAsTheEncoderWrites(2000, seed: 1_207, receipt) { $0.json }
    }

    @Test func aDateOutsideTheYearsTheWriterCoversIsWrittenByTheEncoder() throws {
        var random = SplitMix64(seed: 7)
        var message = message(&random)
        message.receivedAt = Date(timeIntervalSince1970: -40_000_000_000)  // the year 702
        #expect(message.json == Array(try JSONCoding.encoder().encode(message)))
        var receipt = receipt(&random)
        receipt.receivedAt = message.receivedAt
        #expect(receipt.json == Array(try JSONCoding.encoder().encode(receipt)))
    }
}
