import CrisisCore
import Foundation
import Testing

struct RotationTests {
    /// Weekly hand-off on Mondays at 08:00 Copenhagen time, from Monday 2026-11-02.
    let weekly = Rotation(
        id: "chiefs", members: ["anna", "bo"], start: LocalDateTime(year: 2026, month: 11, day: 2, hour: 8),
        shift: TimeSpan(days: 7))

    func onDuty(_ rotation: Rotation, _ instant: String) -> String? {
        rotation.shift(at: utc(instant), timeZone: copenhagen)?.person
    }

    @Test(arguments: [
        ("2026-11-02T07:00:00Z", "anna"),  // the start instant (08:00 CET)
        ("2026-11-05T12:00:00Z", "anna"),
        ("2026-11-09T06:59:59Z", "anna"),  // just before the first hand-off
        ("2026-11-09T07:00:00Z", "bo"),  // at the hand-off
        ("2026-11-09T07:00:01Z", "bo"),
        ("2026-11-16T06:59:59Z", "bo"),
        ("2026-11-16T07:00:00Z", "anna"),  // and back again
        ("2026-11-23T07:00:00Z", "bo"),
    ])
    func whoIsOnDutyAroundTheWeeklyHandoffs(instant: String, person: String) {
        #expect(onDuty(weekly, instant) == person)
    }

    @Test func theShiftCarriesItsBoundsAndIndex() throws {
        let shift = try #require(weekly.shift(at: utc("2026-11-12T10:00:00Z"), timeZone: copenhagen))
        #expect(shift.rotationID == "chiefs")
        #expect(shift.person == "bo")
        #expect(shift.index == 1)
        #expect(shift.start == utc("2026-11-09T07:00:00Z"))
        #expect(shift.end == utc("2026-11-16T07:00:00Z"))
    }

    @Test func theHandoffStaysAtEightLocalAcrossTheSpringForward() throws {
        // Clocks go forward on Sunday 2027-03-28. The Monday before, 08:00 is 07:00Z; the Monday after, 06:00Z.
        let before = try #require(weekly.shift(at: utc("2027-03-25T12:00:00Z"), timeZone: copenhagen))
        #expect(before.start == utc("2027-03-22T07:00:00Z"))
        #expect(before.end == utc("2027-03-29T06:00:00Z"))
        #expect(before.index == 20)
        #expect(before.person == "anna")

        #expect(onDuty(weekly, "2027-03-29T05:59:59Z") == "anna")
        let after = try #require(weekly.shift(at: utc("2027-03-29T06:00:00Z"), timeZone: copenhagen))
        #expect(after.person == "bo")
        #expect(after.index == 21)
        #expect(after.start == utc("2027-03-29T06:00:00Z"))
        #expect(after.end == utc("2027-04-05T06:00:00Z"))
    }

    @Test func theHandoffStaysAtEightLocalAcrossTheFallBack() throws {
        // Clocks go back on Sunday 2027-10-31: the Monday after, 08:00 is 07:00Z again.
        let shift = try #require(weekly.shift(at: utc("2027-10-30T12:00:00Z"), timeZone: copenhagen))
        #expect(shift.start == utc("2027-10-25T06:00:00Z"))
        #expect(shift.end == utc("2027-11-01T07:00:00Z"))
        #expect(onDuty(weekly, "2027-11-01T06:59:59Z") == shift.person)
        #expect(onDuty(weekly, "2027-11-01T07:00:00Z") != shift.person)
    }

    @Test func handoffsAreStillEightLocalYearsLater() throws {
        let shift = try #require(weekly.shift(at: utc("2031-07-10T12:00:00Z"), timeZone: copenhagen))
        let calendar = Calendar.gregorian(in: copenhagen)
        #expect(calendar.component(.hour, from: shift.start) == 8)
        #expect(calendar.component(.minute, from: shift.start) == 0)
        #expect(calendar.component(.weekday, from: shift.start) == 2)  // Monday
        #expect(shift.start <= utc("2031-07-10T12:00:00Z"))
        #expect(shift.end > utc("2031-07-10T12:00:00Z"))
        #expect(shift.person == (shift.index.isMultiple(of: 2) ? "anna" : "bo"))
    }

    @Test func noOneIsOnDutyBeforeTheRotationStarts() {
        #expect(weekly.shift(at: utc("2026-11-02T06:59:59Z"), timeZone: copenhagen) == nil)
        #expect(weekly.shift(at: utc("2025-01-01T00:00:00Z"), timeZone: copenhagen) == nil)
    }

    @Test func aRotationWithoutMembersHasNoOneOnDuty() {
        var empty = weekly
        empty.members = []
        #expect(empty.shift(at: utc("2026-11-10T12:00:00Z"), timeZone: copenhagen) == nil)
    }

    @Test func aSingleMemberIsAlwaysOnDuty() {
        var alone = weekly
        alone.members = ["anna"]
        for instant in ["2026-11-02T07:00:00Z", "2026-11-09T07:00:00Z", "2027-05-01T00:00:00Z"] {
            #expect(onDuty(alone, instant) == "anna")
        }
    }

    @Test func threeMembersTakeTurnsInOrder() {
        var three = weekly
        three.members = ["anna", "bo", "carl"]
        #expect(onDuty(three, "2026-11-03T00:00:00Z") == "anna")
        #expect(onDuty(three, "2026-11-10T00:00:00Z") == "bo")
        #expect(onDuty(three, "2026-11-17T00:00:00Z") == "carl")
        #expect(onDuty(three, "2026-11-24T00:00:00Z") == "anna")
    }

    @Test func aTwelveHourShiftCountsExactHoursEvenAcrossDST() throws {
        // Starts 20:00 CET the evening before the spring-forward; 12 elapsed hours later is 09:00 CEST.
        let halfDays = Rotation(
            id: "nights", members: ["anna", "bo"], start: LocalDateTime(year: 2027, month: 3, day: 27, hour: 20),
            shift: try #require(TimeSpan(parsing: "12h")))
        let first = try #require(halfDays.shift(at: utc("2027-03-27T19:00:00Z"), timeZone: copenhagen))
        #expect(first.person == "anna")
        #expect(first.end == utc("2027-03-28T07:00:00Z"))
        #expect(first.end.timeIntervalSince(first.start) == 12 * 3600)
        #expect(onDuty(halfDays, "2027-03-28T06:59:59Z") == "anna")
        #expect(onDuty(halfDays, "2027-03-28T07:00:00Z") == "bo")
        let later = try #require(halfDays.shift(at: utc("2027-04-10T12:00:00Z"), timeZone: copenhagen))
        #expect(later.end.timeIntervalSince(later.start) == 12 * 3600)
        #expect(later.start.timeIntervalSince(first.start) == Double(later.index) * 12 * 3600)
    }

    @Test func theRotaAnswersForItsRotationsInItsTimeZone() {
        let rota = Rota(timeZone: copenhagen, rotations: [weekly], people: [])
        #expect(rota.onDuty(rotation: "chiefs", at: utc("2026-11-09T07:00:00Z"))?.person == "bo")
        #expect(rota.onDuty(rotation: "nobody", at: utc("2026-11-09T07:00:00Z")) == nil)
        // The same wall-clock start read in UTC hands off an hour later.
        let inUTC = Rota(timeZone: utcZone, rotations: [weekly], people: [])
        #expect(inUTC.onDuty(rotation: "chiefs", at: utc("2026-11-09T07:00:00Z"))?.person == "anna")
    }
}
