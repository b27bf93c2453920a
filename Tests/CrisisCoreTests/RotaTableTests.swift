import CrisisCore
import Foundation
import Testing

// Table tests of who is on duty at given instants. Every row gives the instant in UTC and, in
// its comment, what the rota's local clock shows then.

private let oslo = TimeZone(identifier: "Europe/Oslo")!
private let lordHowe = TimeZone(identifier: "Australia/Lord_Howe")!

private func window(_ text: String) -> ActiveWindow {
    guard let window = ActiveWindow(parsing: text) else { preconditionFailure("bad window \(text)") }
    return window
}

private func at(_ texts: String...) -> Rotation.Handoff {
    .at(texts.map { text in
        guard let time = WeeklyTime(parsing: text) else { preconditionFailure("bad hand-off \(text)") }
        return time
    })
}

private func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> LocalDateTime {
    LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute)
}

private func who(_ rota: Rota, _ target: String, _ instant: String) -> String? {
    rota.onDuty(target, at: utc(instant))?.person
}

// MARK: - Europe/Copenhagen and Europe/Oslo on the DST nights

struct RotaEuropeanDSTNightTests {
    /// A daily 02:30 hand-off (the time is skipped on 2027-03-28 and happens twice on 2027-10-31),
    /// and a weekly `Mon 08:00` rotation and a `7d` one, both from Monday 2027-03-01 08:00.
    static func rota(in zone: TimeZone) -> Rota {
        Rota(
            timeZone: zone,
            rotations: [
                // Hand-offs at 02:30 on 2027-03-21 (bo), 22 (anna), … 27 (bo), 28 (anna), 29 (bo).
                Rotation(
                    id: "spring", members: ["anna", "bo"], start: local(2027, 3, 20, 12),
                    handoff: .at([WeeklyTime(weekday: nil, hour: 2, minute: 30)])),
                // Hand-offs at 02:30 on 2027-10-24 (bo), 25 (anna), … 30 (bo), 31 (anna), 11-01 (bo).
                Rotation(
                    id: "fall", members: ["anna", "bo"], start: local(2027, 10, 23, 12),
                    handoff: .at([WeeklyTime(weekday: nil, hour: 2, minute: 30)])),
                Rotation(id: "weekly", members: ["anna", "bo"], start: local(2027, 3, 1, 8), handoff: at("Mon 08:00")),
                Rotation(id: "sevens", members: ["anna", "bo"], start: local(2027, 3, 1, 8), shift: TimeSpan(days: 7)),
                // Two Sunday hand-offs that the spring-forward night skips both of.
                Rotation(
                    id: "sundays", members: ["anna", "bo", "carl"], start: local(2027, 3, 22, 8),
                    handoff: at("Sun 02:00", "Sun 02:30")),
            ],
            people: [])
    }

    static let zones = [copenhagen, oslo]

    @Test func bothZonesChangeTheirClocksAtOneInUTCOnTheseNights() {
        for zone in Self.zones {
            #expect(zone.nextDaylightSavingTimeTransition(after: utc("2027-01-01T00:00:00Z")) == utc("2027-03-28T01:00:00Z"))
            #expect(zone.nextDaylightSavingTimeTransition(after: utc("2027-06-01T00:00:00Z")) == utc("2027-10-31T01:00:00Z"))
        }
    }

    @Test(arguments: zones, [
        ("2027-03-27T01:29:59Z", "anna"),  // Sat 02:29:59 CET
        ("2027-03-27T01:30:00Z", "bo"),  // Sat 02:30 CET: the hand-off in winter
        ("2027-03-28T00:59:59Z", "bo"),  // Sun 01:59:59 CET, the last second before the jump
        ("2027-03-28T01:00:00Z", "anna"),  // Sun 03:00 CEST: 02:30 is skipped, so the jump is the hand-off
        ("2027-03-28T01:30:00Z", "anna"),  // Sun 03:30 CEST
        ("2027-03-29T00:29:59Z", "anna"),  // Mon 02:29:59 CEST
        ("2027-03-29T00:30:00Z", "bo"),  // Mon 02:30 CEST: the hand-off in summer
    ])
    func theDaily0230HandoffOnTheSpringForwardNight(zone: TimeZone, row: (instant: String, person: String)) {
        #expect(who(Self.rota(in: zone), "spring", row.instant) == row.person)
    }

    @Test(arguments: zones, [
        ("2027-10-30T00:29:59Z", "anna"),  // Sat 02:29:59 CEST
        ("2027-10-30T00:30:00Z", "bo"),  // Sat 02:30 CEST: the hand-off in summer
        ("2027-10-31T00:29:59Z", "bo"),  // Sun 02:29:59 CEST, first time round
        ("2027-10-31T00:30:00Z", "anna"),  // Sun 02:30 CEST: the first 02:30 is the hand-off
        ("2027-10-31T00:59:59Z", "anna"),  // Sun 02:59:59 CEST
        ("2027-10-31T01:00:00Z", "anna"),  // Sun 02:00 CET: the clocks went back
        ("2027-10-31T01:30:00Z", "anna"),  // Sun 02:30 CET, second time round: no second hand-off
        ("2027-10-31T02:30:00Z", "anna"),  // Sun 03:30 CET
        ("2027-11-01T01:29:59Z", "anna"),  // Mon 02:29:59 CET
        ("2027-11-01T01:30:00Z", "bo"),  // Mon 02:30 CET: the hand-off in winter
    ])
    func theDaily0230HandoffOnTheFallBackNight(zone: TimeZone, row: (instant: String, person: String)) {
        #expect(who(Self.rota(in: zone), "fall", row.instant) == row.person)
    }

    @Test(arguments: zones)
    func theDaily0230HandoffInstantsAroundBothNights(zone: TimeZone) {
        let rota = Self.rota(in: zone)
        let spring = rota.timeline("spring", from: utc("2027-03-26T12:00:00Z"), to: utc("2027-03-30T12:00:00Z"))
        #expect(
            spring.map(\.start) == [
                utc("2027-03-26T12:00:00Z"),  // the range starts
                utc("2027-03-27T01:30:00Z"),  // Sat 02:30 CET
                utc("2027-03-28T01:00:00Z"),  // Sun 03:00 CEST, the jump
                utc("2027-03-29T00:30:00Z"),  // Mon 02:30 CEST
                utc("2027-03-30T00:30:00Z"),  // Tue 02:30 CEST
            ])
        #expect(spring.map(\.person) == ["anna", "bo", "anna", "bo", "anna"])
        let fall = rota.timeline("fall", from: utc("2027-10-29T12:00:00Z"), to: utc("2027-11-02T12:00:00Z"))
        #expect(
            fall.map(\.start) == [
                utc("2027-10-29T12:00:00Z"),  // the range starts
                utc("2027-10-30T00:30:00Z"),  // Sat 02:30 CEST
                utc("2027-10-31T00:30:00Z"),  // Sun 02:30 CEST, the first of the two
                utc("2027-11-01T01:30:00Z"),  // Mon 02:30 CET
                utc("2027-11-02T01:30:00Z"),  // Tue 02:30 CET
            ])
        #expect(fall.map(\.person) == ["anna", "bo", "anna", "bo", "anna"])
    }

    @Test(arguments: zones, [
        ("2027-03-22T06:59:59Z", "anna"),  // Mon 07:59:59 CET (third week)
        ("2027-03-22T07:00:00Z", "bo"),  // Mon 08:00 CET
        ("2027-03-28T01:00:00Z", "bo"),  // Sun 03:00 CEST: the spring jump changes nothing
        ("2027-03-29T05:59:59Z", "bo"),  // Mon 07:59:59 CEST
        ("2027-03-29T06:00:00Z", "anna"),  // Mon 08:00 CEST: still 08:00 on the wall
        ("2027-10-25T05:59:59Z", "bo"),  // Mon 07:59:59 CEST
        ("2027-10-25T06:00:00Z", "anna"),  // Mon 08:00 CEST
        ("2027-10-31T01:30:00Z", "anna"),  // Sun 02:30 CET, the doubled hour
        ("2027-11-01T06:00:00Z", "anna"),  // Mon 07:00 CET: 08:00 summer time would have been now
        ("2027-11-01T06:59:59Z", "anna"),  // Mon 07:59:59 CET
        ("2027-11-01T07:00:00Z", "bo"),  // Mon 08:00 CET
    ])
    func weeklyAndSevenDayRotationsKeepMonday0800AcrossBothNights(
        zone: TimeZone, row: (instant: String, person: String)
    ) {
        let rota = Self.rota(in: zone)
        #expect(who(rota, "weekly", row.instant) == row.person)
        #expect(who(rota, "sevens", row.instant) == row.person)
    }

    @Test(arguments: zones, [
        ("2027-03-28T00:59:59Z", "anna"),  // Sun 01:59:59 CET
        ("2027-03-28T01:00:00Z", "carl"),  // Sun 03:00 CEST: 02:00 and 02:30 are both the jump, so bo's turn takes no time
        ("2027-04-03T23:59:59Z", "carl"),  // Sun 01:59:59 CEST a week later
        ("2027-04-04T00:00:00Z", "anna"),  // Sun 02:00 CEST
        ("2027-04-04T00:30:00Z", "bo"),  // Sun 02:30 CEST
    ])
    func twoHandoffsInTheSkippedHourBothHappenAtTheJump(zone: TimeZone, row: (instant: String, person: String)) {
        #expect(who(Self.rota(in: zone), "sundays", row.instant) == row.person)
    }

    @Test(arguments: zones)
    func theTimelineHasNoEmptyStretchForATurnThatTakesNoTime(zone: TimeZone) {
        let duties = Self.rota(in: zone).timeline("sundays", from: utc("2027-03-27T12:00:00Z"), to: utc("2027-03-29T12:00:00Z"))
        #expect(duties.map(\.person) == ["anna", "carl"])
        #expect(duties.map(\.start) == [utc("2027-03-27T12:00:00Z"), utc("2027-03-28T01:00:00Z")])
    }

    @Test(arguments: zones)
    func theSevenDayShiftsAroundBothNightsRunFromEightToEight(zone: TimeZone) throws {
        let rota = Self.rota(in: zone)
        let spring = try #require(rota.onDuty(rotation: "sevens", at: utc("2027-03-25T12:00:00Z")))
        #expect(spring.start == utc("2027-03-22T07:00:00Z"))  // Mon 08:00 CET
        #expect(spring.end == utc("2027-03-29T06:00:00Z"))  // Mon 08:00 CEST: 6 days 23 hours later
        #expect(spring.index == 3)
        let fall = try #require(rota.onDuty(rotation: "sevens", at: utc("2027-10-28T12:00:00Z")))
        #expect(fall.start == utc("2027-10-25T06:00:00Z"))  // Mon 08:00 CEST
        #expect(fall.end == utc("2027-11-01T07:00:00Z"))  // Mon 08:00 CET: 7 days 1 hour later
        #expect(fall.index == 34)
    }
}

// MARK: - Australia/Lord_Howe: the clocks move by 30 minutes

struct RotaLordHoweTests {
    /// Daily hand-offs at 02:15 (skipped on 2027-10-03, once only on 2027-04-04, when 01:30-02:00
    /// happens twice) and at 01:45 (happens twice on 2027-04-04).
    let rota = Rota(
        timeZone: lordHowe,
        rotations: [
            // Hand-offs on 2027-04-01 (bo), 02 (anna), 03 (bo), 04 (anna), 05 (bo).
            Rotation(id: "april-0215", members: ["anna", "bo"], start: local(2027, 3, 31, 12), handoff: at("02:15")),
            Rotation(id: "april-0145", members: ["anna", "bo"], start: local(2027, 3, 31, 12), handoff: at("01:45")),
            // Hand-offs on 2027-09-30 (bo), 10-01 (anna), 02 (bo), 03 (anna), 04 (bo).
            Rotation(id: "october-0215", members: ["anna", "bo"], start: local(2027, 9, 29, 12), handoff: at("02:15")),
        ],
        people: [])

    /// The literals below rest on these transitions, read from Foundation's time zone data.
    @Test func lordHoweChangesByThirtyMinutesAtTheseInstants() {
        let end = lordHowe.nextDaylightSavingTimeTransition(after: utc("2027-01-01T00:00:00Z"))
        #expect(end == utc("2027-04-03T15:00:00Z"))  // Sun 2027-04-04 02:00 LHDT (+11) becomes 01:30 LHST (+10:30)
        #expect(lordHowe.secondsFromGMT(for: utc("2027-04-03T14:59:59Z")) == 39_600)
        #expect(lordHowe.secondsFromGMT(for: utc("2027-04-03T15:00:00Z")) == 37_800)
        let start = lordHowe.nextDaylightSavingTimeTransition(after: utc("2027-06-01T00:00:00Z"))
        #expect(start == utc("2027-10-02T15:30:00Z"))  // Sun 2027-10-03 02:00 LHST (+10:30) becomes 02:30 LHDT (+11)
        #expect(lordHowe.secondsFromGMT(for: utc("2027-10-02T15:29:59Z")) == 37_800)
        #expect(lordHowe.secondsFromGMT(for: utc("2027-10-02T15:30:00Z")) == 39_600)
    }

    @Test(arguments: [
        ("2027-04-02T15:14:59Z", "anna"),  // Sat 02:14:59 LHDT
        ("2027-04-02T15:15:00Z", "bo"),  // Sat 02:15 LHDT
        ("2027-04-03T14:59:59Z", "bo"),  // Sun 01:59:59 LHDT, just before the clocks go back
        ("2027-04-03T15:00:00Z", "bo"),  // Sun 01:30 LHST, the clocks went back
        ("2027-04-03T15:44:59Z", "bo"),  // Sun 02:14:59 LHST
        ("2027-04-03T15:45:00Z", "anna"),  // Sun 02:15 LHST: 02:15 is shown only once, now
        ("2027-04-04T15:44:59Z", "anna"),  // Mon 02:14:59 LHST
        ("2027-04-04T15:45:00Z", "bo"),  // Mon 02:15 LHST
    ])
    func theDaily0215HandoffWhenTheClocksGoBack(row: (instant: String, person: String)) {
        #expect(who(rota, "april-0215", row.instant) == row.person)
    }

    @Test(arguments: [
        ("2027-04-02T14:44:59Z", "anna"),  // Sat 01:44:59 LHDT
        ("2027-04-02T14:45:00Z", "bo"),  // Sat 01:45 LHDT
        ("2027-04-03T14:44:59Z", "bo"),  // Sun 01:44:59 LHDT, first time round
        ("2027-04-03T14:45:00Z", "anna"),  // Sun 01:45 LHDT: the first 01:45 is the hand-off
        ("2027-04-03T15:14:59Z", "anna"),  // Sun 01:44:59 LHST, second time round
        ("2027-04-03T15:15:00Z", "anna"),  // Sun 01:45 LHST, second time round: no second hand-off
        ("2027-04-04T15:14:59Z", "anna"),  // Mon 01:44:59 LHST
        ("2027-04-04T15:15:00Z", "bo"),  // Mon 01:45 LHST
    ])
    func theDaily0145HandoffHappensOnceInTheDoubledHalfHour(row: (instant: String, person: String)) {
        #expect(who(rota, "april-0145", row.instant) == row.person)
    }

    @Test(arguments: [
        ("2027-10-01T15:44:59Z", "anna"),  // Sat 02:14:59 LHST
        ("2027-10-01T15:45:00Z", "bo"),  // Sat 02:15 LHST
        ("2027-10-02T15:29:59Z", "bo"),  // Sun 01:59:59 LHST, the last second before the jump
        ("2027-10-02T15:30:00Z", "anna"),  // Sun 02:30 LHDT: 02:15 is skipped, so the jump is the hand-off
        ("2027-10-03T15:14:59Z", "anna"),  // Mon 02:14:59 LHDT
        ("2027-10-03T15:15:00Z", "bo"),  // Mon 02:15 LHDT
    ])
    func theDaily0215HandoffWhenTheClocksGoForward(row: (instant: String, person: String)) {
        #expect(who(rota, "october-0215", row.instant) == row.person)
    }

    @Test func theHandoffInstantsAroundBothNights() {
        let april = rota.timeline("april-0215", from: utc("2027-04-02T00:00:00Z"), to: utc("2027-04-05T00:00:00Z"))
        #expect(
            april.map(\.start) == [
                utc("2027-04-02T00:00:00Z"), utc("2027-04-02T15:15:00Z"), utc("2027-04-03T15:45:00Z"),
                utc("2027-04-04T15:45:00Z"),
            ])
        let october = rota.timeline("october-0215", from: utc("2027-10-01T00:00:00Z"), to: utc("2027-10-04T00:00:00Z"))
        #expect(
            october.map(\.start) == [
                utc("2027-10-01T00:00:00Z"), utc("2027-10-01T15:45:00Z"), utc("2027-10-02T15:30:00Z"),
                utc("2027-10-03T15:15:00Z"),
            ])
    }
}

// MARK: - Weekly hand-offs on two days, three members

struct RotaWeeklyHandoffTests {
    /// Hand-offs on Mondays and Thursdays at 08:00, starting on a Wednesday at noon.
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "chiefs", members: ["anna", "bo", "carl"], start: local(2027, 1, 6, 12),
                handoff: at("Mon 08:00", "Thu 08:00"))
        ],
        people: [])

    @Test(arguments: [
        ("2027-01-04T07:00:00Z", nil),  // Mon 08:00 CET of the first week, before the start
        ("2027-01-06T10:59:59Z", nil),  // Wed 11:59:59 CET, a second before the start
        ("2027-01-06T11:00:00Z", "anna"),  // Wed 12:00 CET: the start, not a hand-off
        ("2027-01-07T06:59:59Z", "anna"),  // Thu 07:59:59 CET
        ("2027-01-07T07:00:00Z", "bo"),  // Thu 08:00 CET
        ("2027-01-11T06:59:59Z", "bo"),  // Mon 07:59:59 CET
        ("2027-01-11T07:00:00Z", "carl"),  // Mon 08:00 CET
        ("2027-01-14T07:00:00Z", "anna"),  // Thu 08:00 CET: round again
        ("2027-01-18T07:00:00Z", "bo"),  // Mon 08:00 CET
        ("2027-01-21T07:00:00Z", "carl"),  // Thu 08:00 CET
        ("2027-01-25T07:00:00Z", "anna"),  // Mon 08:00 CET
        ("2027-03-29T06:00:00Z", "anna"),  // Mon 08:00 CEST: the 24th hand-off (12 Thursdays, 12 Mondays), after the spring forward
    ] as [(String, String?)])
    func theTurnsGoAnnaBoCarlFromAMidweekStart(instant: String, person: String?) {
        #expect(who(rota, "chiefs", instant) == person)
    }

    @Test func theFirstShiftRunsFromTheStartToTheFirstHandoff() throws {
        let shift = try #require(rota.onDuty(rotation: "chiefs", at: utc("2027-01-06T18:00:00Z")))
        #expect(shift.index == 0)
        #expect(shift.start == utc("2027-01-06T11:00:00Z"))  // Wed 12:00 CET
        #expect(shift.end == utc("2027-01-07T07:00:00Z"))  // Thu 08:00 CET
        let third = try #require(rota.onDuty(rotation: "chiefs", at: utc("2027-01-12T18:00:00Z")))
        #expect(third.index == 2)
        #expect(third.start == utc("2027-01-11T07:00:00Z"))  // Mon 08:00 CET
        #expect(third.end == utc("2027-01-14T07:00:00Z"))  // Thu 08:00 CET
    }
}

// MARK: - Restricted layers

struct RotaRestrictedLayerTests {
    /// `clinic`: a day layer on weekdays 08:00-16:00 over a night layer on weekday evenings into
    /// the next morning and all weekend. Both hand off on Mondays at 08:00, from 2027-01-04:
    /// anna and carl the first week, bo and dorte the second.
    ///
    /// A window belongs to the day it starts on, so `Mon-Fri 16:00-08:00` covers Monday evening
    /// to Saturday morning and `Sat,Sun 00:00-24:00` ends at Monday midnight: Monday 00:00-08:00
    /// is covered by neither. `clinic-full` closes that with `Sun-Fri 16:00-08:00`.
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "day", members: ["anna", "bo"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Mon-Fri 08:00-16:00")]),
            Rotation(
                id: "night", members: ["carl", "dorte"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Mon-Fri 16:00-08:00"), window("Sat,Sun 00:00-24:00")]),
            Rotation(
                id: "night-full", members: ["carl", "dorte"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Sun-Fri 16:00-08:00"), window("Sat,Sun 00:00-24:00")]),
        ],
        schedules: [
            Schedule(id: "clinic", layers: ["day", "night"]),
            Schedule(id: "clinic-full", layers: ["day", "night-full"]),
        ],
        people: [])

    @Test(arguments: [
        ("2027-01-06T09:00:00Z", "anna"),  // Wed 10:00 CET: the day person
        ("2027-01-06T19:00:00Z", "carl"),  // Wed 20:00 CET: the night person
        ("2027-01-07T06:59:00Z", "carl"),  // Thu 07:59 CET: still the night
        ("2027-01-09T11:00:00Z", "carl"),  // Sat 12:00 CET: the weekend is the night layer's
        ("2027-01-10T22:59:59Z", "carl"),  // Sun 23:59:59 CET
        ("2027-01-10T23:00:00Z", nil),  // Mon 00:00 CET: the weekend window has ended
        ("2027-01-11T06:59:00Z", nil),  // Mon 07:59 CET: and Monday's night window starts at 16:00
        ("2027-01-11T07:00:00Z", "bo"),  // Mon 08:00 CET: the day layer, second week
        ("2027-01-11T15:00:00Z", "dorte"),  // Mon 16:00 CET: the night layer, second week
    ] as [(String, String?)])
    func dayAndNightLayers(instant: String, person: String?) {
        #expect(who(rota, "clinic", instant) == person)
    }

    @Test(arguments: [
        ("2027-01-10T15:00:00Z", "carl"),  // Sun 16:00 CET
        ("2027-01-10T23:00:00Z", "carl"),  // Mon 00:00 CET: Sunday's 16:00-08:00 window runs on
        ("2027-01-11T06:59:00Z", "carl"),  // Mon 07:59 CET: still the night person of the week before
        ("2027-01-11T07:00:00Z", "bo"),  // Mon 08:00 CET: the day person
    ])
    func aSundayEveningWindowCoversMondayMorning(instant: String, person: String) {
        #expect(who(rota, "clinic-full", instant) == person)
    }

    @Test(arguments: [
        ("2027-01-06T06:59:59Z", "carl"),  // Wed 07:59:59 CET: the night from Tuesday 16:00
        ("2027-01-06T07:00:00Z", "anna"),  // Wed 08:00 CET: the day window opens on the minute
        ("2027-01-06T14:59:59Z", "anna"),  // Wed 15:59:59 CET
        ("2027-01-06T15:00:00Z", "carl"),  // Wed 16:00 CET: the day window has closed, the night one opened
        ("2027-01-08T14:59:59Z", "anna"),  // Fri 15:59:59 CET
        ("2027-01-08T15:00:00Z", "carl"),  // Fri 16:00 CET
        ("2027-01-08T23:00:00Z", "carl"),  // Sat 00:00 CET: Friday's night window and the weekend overlap
        ("2027-01-09T07:00:00Z", "carl"),  // Sat 08:00 CET: Friday's night window closed, the weekend's goes on
    ])
    func theExactWindowEdges(instant: String, person: String) {
        #expect(who(rota, "clinic", instant) == person)
    }

    @Test(arguments: [
        ("2027-01-06T07:00:00Z", "day", true),  // Wed 08:00 CET
        ("2027-01-06T06:59:59Z", "day", false),  // Wed 07:59:59 CET
        ("2027-01-06T15:00:00Z", "day", false),  // Wed 16:00 CET
        ("2027-01-06T15:00:00Z", "night", true),  // Wed 16:00 CET
        ("2027-01-07T07:00:00Z", "night", false),  // Thu 08:00 CET
        ("2027-01-09T07:00:00Z", "day", false),  // Sat 08:00 CET
        ("2027-03-29T06:00:00Z", "day", true),  // Mon 08:00 CEST: windows stay on the wall clock
        ("2027-03-29T05:59:59Z", "day", false),  // Mon 07:59:59 CEST
    ])
    func aRestrictedRotationIsOnDutyOnlyInsideItsWindows(instant: String, rotation: String, active: Bool) {
        #expect((who(rota, rotation, instant) != nil) == active)
    }
}

// MARK: - Overrides

struct RotaOverrideTableTests {
    /// `chiefs` hands off weekly on Mondays at 08:00 (anna the week of 2027-01-04); `clinic` is
    /// the day layer over the night layer, as above. Overrides are listed oldest first.
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(id: "chiefs", members: ["anna", "bo"], start: local(2027, 1, 4, 8), shift: TimeSpan(days: 7)),
            Rotation(
                id: "day", members: ["anna", "bo"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Mon-Fri 08:00-16:00")]),
            Rotation(
                id: "night", members: ["carl", "dorte"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Mon-Fri 16:00-08:00"), window("Sat,Sun 00:00-24:00")]),
        ],
        schedules: [Schedule(id: "clinic", layers: ["day", "night"])],
        people: [],
        overrides: [
            // Wed 12:00 CET to Thu 14:00 CET, in the middle of anna's week.
            RotaOverride(
                id: "1", target: "chiefs", person: "zoe", from: utc("2027-01-06T11:00:00Z"), to: utc("2027-01-07T13:00:00Z"),
                createdBy: "config"),
            // Thu 10:00-11:00 CET, inside the first: newer, so it wins.
            RotaOverride(
                id: "2", target: "chiefs", person: "yann", from: utc("2027-01-07T09:00:00Z"), to: utc("2027-01-07T10:00:00Z"),
                createdBy: "crisisctl"),
            // Thu 13:00 CET to Fri 13:00 CET, overlapping the end of the first: newer, so it wins.
            RotaOverride(
                id: "3", target: "chiefs", person: "xena", from: utc("2027-01-07T12:00:00Z"), to: utc("2027-01-08T12:00:00Z"),
                createdBy: "crisisctl"),
            // Wed 13:00 CET (in the day shift) to Wed 21:00 CET (in the night shift).
            RotaOverride(
                id: "4", target: "clinic", person: "yara", from: utc("2027-01-06T12:00:00Z"), to: utc("2027-01-06T20:00:00Z"),
                createdBy: "config"),
            // Sat 12:00-13:00 CET on the night layer: shows through the schedule.
            RotaOverride(
                id: "5", target: "night", person: "wim", from: utc("2027-01-09T11:00:00Z"), to: utc("2027-01-09T12:00:00Z"),
                createdBy: "config"),
        ])

    @Test(arguments: [
        ("2027-01-06T10:59:59Z", "anna", "chiefs"),  // Wed 11:59:59 CET: anna's turn
        ("2027-01-06T11:00:00Z", "zoe", "override:1"),  // Wed 12:00 CET: the cover starts mid-shift
        ("2027-01-07T08:59:59Z", "zoe", "override:1"),  // Thu 09:59:59 CET
        ("2027-01-07T09:00:00Z", "yann", "override:2"),  // Thu 10:00 CET: the newer override wins
        ("2027-01-07T09:59:59Z", "yann", "override:2"),  // Thu 10:59:59 CET
        ("2027-01-07T10:00:00Z", "zoe", "override:1"),  // Thu 11:00 CET: yann's ended exactly now, zoe's goes on
        ("2027-01-07T12:00:00Z", "xena", "override:3"),  // Thu 13:00 CET: the newer overlapping one wins
        ("2027-01-07T13:00:00Z", "xena", "override:3"),  // Thu 14:00 CET: zoe's ended
        ("2027-01-08T11:59:59Z", "xena", "override:3"),  // Fri 12:59:59 CET
        ("2027-01-08T12:00:00Z", "anna", "chiefs"),  // Fri 13:00 CET: xena's ended exactly now, back to the turn
    ])
    func overridesOnARotation(instant: String, person: String, source: String) {
        let duty = rota.onDuty("chiefs", at: utc(instant))
        #expect(duty?.person == person)
        #expect(duty?.source == source)
    }

    @Test(arguments: [
        ("2027-01-06T11:59:59Z", "anna"),  // Wed 12:59:59 CET: the day layer
        ("2027-01-06T12:00:00Z", "yara"),  // Wed 13:00 CET: the cover starts in the day shift
        ("2027-01-06T15:00:00Z", "yara"),  // Wed 16:00 CET: and runs on over the night layer's start
        ("2027-01-06T19:59:59Z", "yara"),  // Wed 20:59:59 CET
        ("2027-01-06T20:00:00Z", "carl"),  // Wed 21:00 CET: ended exactly now, the night layer again
        ("2027-01-09T10:59:59Z", "carl"),  // Sat 11:59:59 CET
        ("2027-01-09T11:00:00Z", "wim"),  // Sat 12:00 CET: an override on the night layer
        ("2027-01-09T12:00:00Z", "carl"),  // Sat 13:00 CET
    ])
    func overridesOnAScheduleAndOnItsLayer(instant: String, person: String) {
        #expect(who(rota, "clinic", instant) == person)
    }

    @Test func theNewestOverrideIsTheLastListedNotTheLatestStarting() {
        var swapped = rota
        swapped.overrides = [rota.overrides[1], rota.overrides[0]]  // yann's first, zoe's last
        #expect(who(swapped, "chiefs", "2027-01-07T09:30:00Z") == "zoe")  // Thu 10:30 CET
        #expect(who(rota, "chiefs", "2027-01-07T09:30:00Z") == "yann")
    }

    @Test func theTimelineShowsTheCoverWithItsExactEdges() {
        let duties = rota.timeline("chiefs", from: utc("2027-01-06T00:00:00Z"), to: utc("2027-01-09T00:00:00Z"))
        #expect(duties.map(\.person) == ["anna", "zoe", "yann", "zoe", "xena", "anna"])
        #expect(
            duties.map(\.start) == [
                utc("2027-01-06T00:00:00Z"), utc("2027-01-06T11:00:00Z"), utc("2027-01-07T09:00:00Z"),
                utc("2027-01-07T10:00:00Z"), utc("2027-01-07T12:00:00Z"), utc("2027-01-08T12:00:00Z"),
            ])
        #expect(duties.last?.end == utc("2027-01-09T00:00:00Z"))
        #expect(duties.map(\.source) == ["chiefs", "override:1", "override:2", "override:1", "override:3", "chiefs"])
    }
}

// MARK: - Gaps

struct RotaGapTests {
    /// The night layer stops at Friday midnight, so no one is on duty from Saturday 00:00 to
    /// Monday 08:00.
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "day", members: ["anna", "bo"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Mon-Fri 08:00-16:00")]),
            Rotation(
                id: "night", members: ["carl", "dorte", "anna"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Mon-Thu 16:00-08:00"), window("Fri 16:00-24:00")]),
        ],
        schedules: [Schedule(id: "weekdays", layers: ["day", "night"])],
        people: [])

    @Test(arguments: [
        ("2027-01-08T22:59:59Z", "carl"),  // Fri 23:59:59 CET
        ("2027-01-08T23:00:00Z", nil),  // Sat 00:00 CET: the gap opens
        ("2027-01-10T11:00:00Z", nil),  // Sun 12:00 CET
        ("2027-01-11T06:59:59Z", nil),  // Mon 07:59:59 CET
        ("2027-01-11T07:00:00Z", "bo"),  // Mon 08:00 CET: the gap closes
    ] as [(String, String?)])
    func noOneIsOnDutyInTheGap(instant: String, person: String?) {
        #expect(who(rota, "weekdays", instant) == person)
    }

    @Test func theTimelineShowsTheGapAsADutyWithNoPerson() throws {
        let duties = rota.timeline("weekdays", from: utc("2027-01-08T12:00:00Z"), to: utc("2027-01-11T12:00:00Z"))
        #expect(duties.map(\.person) == ["anna", "carl", nil, "bo"])
        let gap = try #require(duties.first { $0.person == nil })
        #expect(gap.start == utc("2027-01-08T23:00:00Z"))  // Sat 00:00 CET
        #expect(gap.end == utc("2027-01-11T07:00:00Z"))  // Mon 08:00 CET
        #expect(gap.source == nil)
        #expect(gap.target == "weekdays")
    }

    @Test func aGapOverTheSpringForwardIsAnHourShorter() throws {
        let duties = rota.timeline("weekdays", from: utc("2027-03-26T12:00:00Z"), to: utc("2027-03-29T12:00:00Z"))
        let gap = try #require(duties.first { $0.person == nil })
        #expect(gap.start == utc("2027-03-26T23:00:00Z"))  // Sat 00:00 CET
        #expect(gap.end == utc("2027-03-29T06:00:00Z"))  // Mon 08:00 CEST
        #expect(gap.end.timeIntervalSince(gap.start) == 55 * 3600)
    }

    @Test func theStretchAroundAnInstantInTheGapIsTheGap() throws {
        let gap = try #require(rota.stretch("weekdays", around: utc("2027-01-10T11:00:00Z")))
        #expect(gap.person == nil)
        #expect(gap.start == utc("2027-01-08T23:00:00Z"))
        #expect(gap.end == utc("2027-01-11T07:00:00Z"))
    }

    @Test func routingInTheGapPagesEveryMemberOfEveryLayerAndSaysItIsUnstaffed() {
        let decision = Routing.route([.schedule("weekdays")], rota: rota, at: utc("2027-01-10T11:00:00Z"))
        #expect(decision.recipients.map(\.person) == ["anna", "bo", "carl", "dorte"])
        #expect(decision.recipients.allSatisfy { $0.target == "schedule:weekdays" })
        #expect(decision.recipients.allSatisfy { $0.reason == "no one on duty on weekdays: every member paged" })
        #expect(decision.unstaffedRotations == ["weekdays"])
        #expect(decision.noOneOnDuty)
    }

    @Test func routingOutsideTheGapPagesThePersonOnDuty() {
        let decision = Routing.route([.schedule("weekdays")], rota: rota, at: utc("2027-01-08T20:00:00Z"))  // Fri 21:00 CET
        #expect(decision.recipients.map(\.person) == ["carl"])
        #expect(decision.recipients.first?.reason == "on duty on weekdays until 2027-01-08T23:00:00Z")
        #expect(!decision.noOneOnDuty)
    }
}

// MARK: - Timelines, stretches and the on-call view

struct RotaTimelineTableTests {
    /// The first week anna has both the day and the night layer of `clinic`; the second week the
    /// day is bo's and the night carl's. `clinic` is backed up by the `seniors` rotation.
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "day", members: ["anna", "bo"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Mon-Fri 08:00-16:00")]),
            Rotation(
                id: "night", members: ["anna", "carl"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Sun-Fri 16:00-08:00"), window("Sat,Sun 00:00-24:00")]),
            Rotation(
                id: "seniors", members: ["dorte", "erik"], start: local(2027, 1, 4, 8), shift: TimeSpan(days: 1)),
            Rotation(
                id: "doubled", members: ["anna", "anna", "bo"], start: local(2027, 1, 4, 8), shift: TimeSpan(days: 1)),
        ],
        schedules: [Schedule(id: "clinic", layers: ["day", "night"], backup: "seniors")],
        people: [
            Person(id: "anna", name: "Anna Holm", phone: "+4520000001", contacts: ["console"]),
            Person(id: "dorte", name: "Dorte Lund", phone: "+4520000004", contacts: ["console"]),
        ],
        overrides: [
            // Wed 2027-01-13 10:00-12:00 CET: bo covers his own day shift, which changes nothing people see.
            RotaOverride(
                id: "9", target: "clinic", person: "bo", from: utc("2027-01-13T09:00:00Z"), to: utc("2027-01-13T11:00:00Z"),
                createdBy: "config")
        ])

    @Test func adjacentStretchesOfOnePersonFromTwoLayersAreMerged() throws {
        let duties = rota.timeline("clinic", from: utc("2027-01-04T07:00:00Z"), to: utc("2027-01-18T07:00:00Z"))
        #expect(duties.map(\.person) == ["anna", "bo", "carl", "bo", "carl", "bo", "carl", "bo", "carl", "bo", "carl"])
        let first = try #require(duties.first)
        #expect(first.start == utc("2027-01-04T07:00:00Z"))  // Mon 08:00 CET
        #expect(first.end == utc("2027-01-11T07:00:00Z"))  // Mon 08:00 CET: a whole week, day and night
        #expect(first.source == nil)  // two layers, so no one source
        // Adjacent stretches always differ.
        for (earlier, later) in zip(duties, duties.dropFirst()) {
            #expect(earlier.person != later.person)
            #expect(earlier.end == later.start)
        }
    }

    @Test func anOverrideOfThePersonAlreadyOnDutyMergesIntoTheShift() throws {
        let duties = rota.timeline("clinic", from: utc("2027-01-13T00:00:00Z"), to: utc("2027-01-14T00:00:00Z"))
        #expect(duties.map(\.person) == ["carl", "bo", "carl"])
        #expect(duties[1].start == utc("2027-01-13T07:00:00Z"))  // Wed 08:00 CET
        #expect(duties[1].end == utc("2027-01-13T15:00:00Z"))  // Wed 16:00 CET
        #expect(duties[1].source == nil)  // the layer and the override
    }

    @Test func adjacentTurnsOfOneMemberOnARotationAreOneStretch() throws {
        let duties = rota.timeline("doubled", from: utc("2027-01-04T07:00:00Z"), to: utc("2027-01-10T07:00:00Z"))
        #expect(duties.map(\.person) == ["anna", "bo", "anna", "bo"])
        #expect(duties.map(\.start) == [
            utc("2027-01-04T07:00:00Z"), utc("2027-01-06T07:00:00Z"), utc("2027-01-07T07:00:00Z"), utc("2027-01-09T07:00:00Z"),
        ])
        #expect(duties.first?.source == "doubled")
    }

    @Test(arguments: [
        // Wed 12:00 CET of the first week: anna, all week.
        ("2027-01-06T11:00:00Z", "anna", "2027-01-04T07:00:00Z", "2027-01-11T07:00:00Z"),
        // Wed 20:00 CET of the second week: carl, from Wed 16:00 to Thu 08:00.
        ("2027-01-13T19:00:00Z", "carl", "2027-01-13T15:00:00Z", "2027-01-14T07:00:00Z"),
        // Sat 12:00 CET of the second week: carl, from Fri 16:00 to Mon 08:00.
        ("2027-01-16T11:00:00Z", "carl", "2027-01-15T15:00:00Z", "2027-01-18T07:00:00Z"),
    ])
    func theStretchAroundAnInstantGivesSinceAndUntil(instant: String, person: String, since: String, until: String) throws {
        let stretch = try #require(rota.stretch("clinic", around: utc(instant)))
        #expect(stretch.person == person)
        #expect(stretch.start == utc(since))
        #expect(stretch.end == utc(until))
    }

    @Test func theOnCallViewShowsTheScheduleWithItsBackupRotation() throws {
        let instant = utc("2027-01-06T11:00:00Z")  // Wed 12:00 CET
        let view = OnCallView(rota: rota, at: instant)
        let entry = try #require(view.rotations.first { $0.rotation == "clinic" })
        #expect(entry.kind == "schedule")
        #expect(entry.person == "anna")
        #expect(entry.name == "Anna Holm")
        #expect(entry.since == utc("2027-01-04T07:00:00Z"))
        #expect(entry.until == utc("2027-01-11T07:00:00Z"))
        #expect(entry.nextHandoff == utc("2027-01-11T07:00:00Z"))
        #expect(entry.backupTarget == "seniors")
        let backup = try #require(entry.backup)
        #expect(backup.id == "dorte")  // the daily turn from Wed 08:00: dorte (index 2)
        #expect(backup.name == "Dorte Lund")
        #expect(backup.since == utc("2027-01-06T07:00:00Z"))
        #expect(backup.until == utc("2027-01-07T07:00:00Z"))
        let seniors = try #require(view.rotations.first { $0.rotation == "seniors" })
        #expect(seniors.kind == "rotation")
        #expect(seniors.person == "dorte")
        #expect(seniors.backup == nil)
    }
}

// MARK: - A restricted window inside the doubled hour

struct RotaDoubledHourWindowTests {
    /// `small` is on duty on Sundays 02:00-02:30 on the wall clock, over `base`. On 2027-10-31 the
    /// Copenhagen clock shows 02:00-02:30 twice: 00:00-00:30Z (CEST) and 01:00-01:30Z (CET).
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "small", members: ["erik"], start: local(2027, 1, 4, 8), handoff: at("Mon 08:00"),
                active: [window("Sun 02:00-02:30")]),
            Rotation(id: "base", members: ["bo"], start: local(2027, 1, 4, 8), shift: TimeSpan(days: 7)),
        ],
        schedules: [Schedule(id: "night", layers: ["small", "base"])],
        people: [])

    @Test(arguments: [
        ("2027-10-30T23:59:59Z", "bo"),  // Sun 01:59:59 CEST
        ("2027-10-31T00:00:00Z", "erik"),  // Sun 02:00 CEST: the window opens
        ("2027-10-31T00:30:00Z", "bo"),  // Sun 02:30 CEST: and closes
        ("2027-10-31T01:00:00Z", "erik"),  // Sun 02:00 CET: the wall clock reads 02:00 again
        ("2027-10-31T01:29:59Z", "erik"),  // Sun 02:29:59 CET
        ("2027-10-31T01:30:00Z", "bo"),  // Sun 02:30 CET
        ("2027-03-28T00:59:59Z", "bo"),  // Sun 01:59:59 CET in spring
        ("2027-03-28T01:00:00Z", "bo"),  // Sun 03:00 CEST: the clock never shows 02:00-02:30 that night
    ])
    func theWindowIsReadOnTheWallClock(instant: String, person: String) {
        #expect(who(rota, "night", instant) == person)
    }

    @Test func theTimelineAgreesWithOnDutyInTheDoubledHour() {
        let from = utc("2027-10-30T23:00:00Z")
        let to = utc("2027-10-31T02:00:00Z")
        let duties = rota.timeline("night", from: from, to: to)
        // The timeline's stretches must say what onDuty says at every minute.
        let disagreements = stride(from: from.timeIntervalSince1970, to: to.timeIntervalSince1970, by: 60).compactMap {
            seconds -> String? in
            let instant = Date(timeIntervalSince1970: seconds)
            let fromTimeline = duties.first { $0.start <= instant && instant < $0.end }?.person
            let fromOnDuty = rota.onDuty("night", at: instant)?.person
            return fromTimeline == fromOnDuty ? nil : "\(instant.formatted(.iso8601)): \(fromTimeline ?? "nil") ≠ \(fromOnDuty ?? "nil")"
        }
        // The window opens a second time when the wall clock reads 02:00 again (01:00Z, 02:00 CET).
        #expect(
            duties.map(\.start) == [
                utc("2027-10-30T23:00:00Z"), utc("2027-10-31T00:00:00Z"), utc("2027-10-31T00:30:00Z"),
                utc("2027-10-31T01:00:00Z"), utc("2027-10-31T01:30:00Z"),
            ])
        #expect(duties.map(\.person) == ["bo", "erik", "bo", "erik", "bo"])
        #expect(disagreements.count == 0, "first: \(disagreements.prefix(2))")
    }
}
