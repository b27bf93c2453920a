import CrisisCore
import Foundation
import Testing

struct LocalDateTimeTests {
    @Test(arguments: [
        ("2026-11-02T08:00", LocalDateTime(year: 2026, month: 11, day: 2, hour: 8, minute: 0)),
        ("2026-11-02 08:00", LocalDateTime(year: 2026, month: 11, day: 2, hour: 8, minute: 0)),
        ("2026-11-02T08:00:00", LocalDateTime(year: 2026, month: 11, day: 2, hour: 8, minute: 0)),
        ("2026-11-02", LocalDateTime(year: 2026, month: 11, day: 2, hour: 0, minute: 0)),
        ("2028-02-29T23:59", LocalDateTime(year: 2028, month: 2, day: 29, hour: 23, minute: 59)),
        ("  2026-12-31T00:30 ", LocalDateTime(year: 2026, month: 12, day: 31, hour: 0, minute: 30)),
    ])
    func validLocalTimesParse(text: String, expected: LocalDateTime) {
        #expect(LocalDateTime(parsing: text) == expected)
    }

    @Test(arguments: [
        "2026-02-30T08:00",  // no such day
        "2027-02-29",  // not a leap year
        "2026-04-31",
        "2026-11-02T25:00",
        "2026-11-02T24:00",
        "2026-11-02T08:60",
        "2026-13-01T08:00",
        "2026-00-10",
        "2026-11-00",
        "2026-11-02T08",
        "2026-11-02T08:00:30",  // seconds other than zero
        "26-11-02T08:00",
        "2026/11/02 08:00",
        "2026-11-02T08:00Z",
        "next monday",
        "",
    ])
    func invalidLocalTimesAreRejected(text: String) {
        #expect(LocalDateTime(parsing: text) == nil)
    }

    @Test func theDescriptionIsTheConfigForm() {
        #expect(LocalDateTime(year: 2026, month: 11, day: 2, hour: 8, minute: 5).description == "2026-11-02T08:05")
        #expect(LocalDateTime(parsing: "2026-11-02 08:05")?.description == "2026-11-02T08:05")
    }

    @Test(arguments: [
        ("2026-11-23T15:00", "2026-11-23T14:00:00Z"),  // winter: UTC+1
        ("2027-06-01T08:00", "2027-06-01T06:00:00Z"),  // summer: UTC+2
        ("2027-03-28T01:59", "2027-03-28T00:59:00Z"),  // just before the spring-forward gap
        ("2027-03-28T03:00", "2027-03-28T01:00:00Z"),  // just after it
        ("2027-10-31T03:00", "2027-10-31T02:00:00Z"),  // after the fall-back
    ])
    func aLocalTimeNamesTheInstantInCopenhagen(local: String, instant: String) throws {
        #expect(try #require(LocalDateTime(parsing: local)).instant(in: copenhagen) == utc(instant))
    }

    @Test func aTimeInTheSpringForwardGapIsTheInstantTheClocksJump() throws {
        // 02:30 does not exist on 2027-03-28 in Copenhagen: clocks jump from 02:00 CET to 03:00 CEST.
        // The rule: the first instant the local clock shows 02:30 or later, which is the jump.
        let local = try #require(LocalDateTime(parsing: "2027-03-28T02:30"))
        #expect(local.instant(in: copenhagen) == utc("2027-03-28T01:00:00Z"))  // 03:00 CEST
    }

    @Test func aTimeInTheFallBackHourIsTakenAtItsFirstOccurrence() throws {
        // 02:30 happens twice on 2027-10-31 in Copenhagen: first in CEST (00:30Z), then in CET (01:30Z).
        let local = try #require(LocalDateTime(parsing: "2027-10-31T02:30"))
        #expect(local.instant(in: copenhagen) == utc("2027-10-31T00:30:00Z"))
    }

    @Test func inUTCTheLocalTimeIsTheInstant() throws {
        #expect(
            try #require(LocalDateTime(parsing: "2026-11-02T08:00")).instant(in: utcZone) == utc("2026-11-02T08:00:00Z")
        )
    }
}
