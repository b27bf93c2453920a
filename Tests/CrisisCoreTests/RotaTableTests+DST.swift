import CrisisCore
import Foundation
import Testing

// Table tests of who is on duty on the nights the clocks change, as in RotaTableTests.swift:
// every row gives the instant in UTC and, in its comment, what the rota's local clock shows then.

private let oslo = TimeZone(identifier: "Europe/Oslo")!
private let lordHowe = TimeZone(identifier: "Australia/Lord_Howe")!

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
            #expect(
                zone.nextDaylightSavingTimeTransition(after: utc("2027-01-01T00:00:00Z")) == utc("2027-03-28T01:00:00Z")
            )
            #expect(
                zone.nextDaylightSavingTimeTransition(after: utc("2027-06-01T00:00:00Z")) == utc("2027-10-31T01:00:00Z")
            )
        }
    }

    @Test(
        arguments: zones,
        [
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

    @Test(
        arguments: zones,
        [
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

    @Test(
        arguments: zones,
        [
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

    @Test(
        arguments: zones,
        [
            ("2027-03-28T00:59:59Z", "anna"),  // Sun 01:59:59 CET
            // Sun 03:00 CEST: 02:00 and 02:30 are both the jump, so bo's turn takes no time
            ("2027-03-28T01:00:00Z", "carl"),
            ("2027-04-03T23:59:59Z", "carl"),  // Sun 01:59:59 CEST a week later
            ("2027-04-04T00:00:00Z", "anna"),  // Sun 02:00 CEST
            ("2027-04-04T00:30:00Z", "bo"),  // Sun 02:30 CEST
        ])
    func twoHandoffsInTheSkippedHourBothHappenAtTheJump(zone: TimeZone, row: (instant: String, person: String)) {
        #expect(who(Self.rota(in: zone), "sundays", row.instant) == row.person)
    }

    @Test(arguments: zones)
    func theTimelineHasNoEmptyStretchForATurnThatTakesNoTime(zone: TimeZone) {
        let duties = Self.rota(in: zone).timeline(
            "sundays", from: utc("2027-03-27T12:00:00Z"), to: utc("2027-03-29T12:00:00Z"))
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
            return fromTimeline == fromOnDuty
                ? nil : "\(instant.formatted(.iso8601)): \(fromTimeline ?? "nil") ≠ \(fromOnDuty ?? "nil")"
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
