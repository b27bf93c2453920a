import CrisisCore
import Foundation
import Testing

// Table tests of who is on duty at given instants. Every row gives the instant in UTC and, in
// its comment, what the rota's local clock shows then.

// Helpers shared with RotaTableTests+DST.swift and RotaTableTests+Timelines.swift.

func window(_ text: String) -> ActiveWindow {
    guard let window = ActiveWindow(parsing: text) else { preconditionFailure("bad window \(text)") }
    return window
}

func at(_ texts: String...) -> Rotation.Handoff {
    .at(
        texts.map { text in
            guard let time = WeeklyTime(parsing: text) else { preconditionFailure("bad hand-off \(text)") }
            return time
        })
}

func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> LocalDateTime {
    LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute)
}

func who(_ rota: Rota, _ target: String, _ instant: String) -> String? {
    rota.onDuty(target, at: utc(instant))?.person
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

    @Test(
        arguments: [
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
            // Mon 08:00 CEST: the 24th hand-off (12 Thursdays, 12 Mondays), after the spring forward
            ("2027-03-29T06:00:00Z", "anna"),
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

    @Test(
        arguments: [
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
                id: "1", target: "chiefs", person: "zoe", from: utc("2027-01-06T11:00:00Z"),
                to: utc("2027-01-07T13:00:00Z"),
                createdBy: "config"),
            // Thu 10:00-11:00 CET, inside the first: newer, so it wins.
            RotaOverride(
                id: "2", target: "chiefs", person: "yann", from: utc("2027-01-07T09:00:00Z"),
                to: utc("2027-01-07T10:00:00Z"),
                createdBy: "crisisctl"),
            // Thu 13:00 CET to Fri 13:00 CET, overlapping the end of the first: newer, so it wins.
            RotaOverride(
                id: "3", target: "chiefs", person: "xena", from: utc("2027-01-07T12:00:00Z"),
                to: utc("2027-01-08T12:00:00Z"),
                createdBy: "crisisctl"),
            // Wed 13:00 CET (in the day shift) to Wed 21:00 CET (in the night shift).
            RotaOverride(
                id: "4", target: "clinic", person: "yara", from: utc("2027-01-06T12:00:00Z"),
                to: utc("2027-01-06T20:00:00Z"),
                createdBy: "config"),
            // Sat 12:00-13:00 CET on the night layer: shows through the schedule.
            RotaOverride(
                id: "5", target: "night", person: "wim", from: utc("2027-01-09T11:00:00Z"),
                to: utc("2027-01-09T12:00:00Z"),
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
