import CrisisCore
import Foundation
import Testing

struct TimeSpanTests {
    @Test(
        arguments: [
            ("500ms", 0.5),
            ("30s", 30),
            ("5m", 300),
            ("1h", 3600),
            ("1h30m", 5400),
            ("90m", 5400),
            ("2h15m30s", 8130),
            ("1m500ms", 60.5),
            (" 15m ", 900),
        ] as [(String, TimeInterval)])
    func writtenDurationsParseToExactSeconds(text: String, seconds: TimeInterval) throws {
        let span = try #require(TimeSpan(parsing: text))
        #expect(span.seconds == seconds)
        #expect(span.wholeDays == nil)
    }

    @Test(arguments: [("7d", 7), ("1d", 1), ("2d", 2), ("1d1d", 2)])
    func spansOfWholeDaysAreCalendarDays(text: String, days: Int) throws {
        let span = try #require(TimeSpan(parsing: text))
        #expect(span.wholeDays == days)
        #expect(span.seconds == TimeInterval(days) * 86_400)
    }

    @Test func daysMixedWithHoursAreExactTime() throws {
        let span = try #require(TimeSpan(parsing: "1d12h"))
        #expect(span.wholeDays == nil)
        #expect(span.seconds == 36 * 3600)
    }

    @Test(arguments: [
        "", "   ", "5", "m", "0s", "0d", "0m0s", "5x", "-5m", "5 m", "1.5h", "h1", "5mm", "1h30", "five minutes",
    ])
    func malformedOrEmptyDurationsAreRejected(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test(arguments: ["500ms", "30s", "5m", "1h30m", "7d", "2h15m30s", "1d12h", "1m500ms"])
    func theDescriptionReadsBackAsTheSameSpan(text: String) throws {
        let span = try #require(TimeSpan(parsing: text))
        #expect(span.description == text)
        #expect(TimeSpan(parsing: span.description) == span)
    }

    @Test(arguments: [("90m", "1h30m"), ("3600s", "1h"), ("1500ms", "1s500ms"), ("120s", "2m")])
    func theDescriptionIsWrittenInTheLargestUnits(text: String, description: String) throws {
        #expect(try #require(TimeSpan(parsing: text)).description == description)
    }

    @Test func spansMadeInCodeDescribeThemselves() {
        #expect(TimeSpan(seconds: 900).description == "15m")
        #expect(TimeSpan(days: 7).description == "7d")
        #expect(TimeSpan(seconds: 0).description == "0s")
    }

    // A config line such as `shift = "9223372036854775807d"` must be reported, not crash the loader.
    @Test func anAbsurdlyLongSpanInDaysDoesNotCrashTheParser() async {
        await #expect(processExitsWith: .success) {
            precondition(TimeSpan(parsing: "9223372036854775807d") == nil)
        }
    }

    // ConfigLoader puts spans in messages: `warn_before = "99999999999999h"` must not crash it.
    @Test func anAbsurdlyLongSpanCanBeDescribed() async {
        await #expect(processExitsWith: .success) {
            _ = TimeSpan(seconds: 1e18).description
        }
    }
}
