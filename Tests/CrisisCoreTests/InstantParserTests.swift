import CrisisCore
import Foundation
import Testing

struct InstantParserTests {
    let now = utc("2026-11-23T16:30:00Z")

    func parse(_ text: String) -> Date? { InstantParser.parse(text, timeZone: copenhagen, now: now) }

    @Test(arguments: [
        ("2026-11-23T14:00:00Z", "2026-11-23T14:00:00Z"),
        ("2026-11-23T15:00:00+01:00", "2026-11-23T14:00:00Z"),
        ("2026-11-23 15:00", "2026-11-23T14:00:00Z"),
        ("2026-11-23T15:00", "2026-11-23T14:00:00Z"),
        ("2026-11-23", "2026-11-22T23:00:00Z"),
        ("2027-06-01 08:00", "2027-06-01T06:00:00Z"),
        ("  2026-11-23 15:00 ", "2026-11-23T14:00:00Z"),
    ])
    func absoluteTimesParse(text: String, expected: String) {
        #expect(parse(text) == utc(expected))
    }

    @Test func nowIsTheGivenNow() {
        #expect(parse("now") == now)
    }

    @Test(arguments: [("2h", 7200.0), ("-2h", 7200), ("30m", 1800), ("1d", 86_400), ("90s", 90)])
    func aSpanMeansThatLongAgo(text: String, seconds: TimeInterval) {
        #expect(parse(text) == now - seconds)
    }

    @Test(arguments: ["garbage", "", "yesterday", "2026-02-30", "2026-11-23 25:00", "+2h", "2 hours"])
    func unreadableTextGivesNil(text: String) {
        #expect(parse(text) == nil)
    }
}
