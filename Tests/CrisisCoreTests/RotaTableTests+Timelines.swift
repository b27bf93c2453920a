import CrisisCore
import Foundation
import Testing

// Table tests of gaps in the rota and of the timelines and stretches built from it, as in
// RotaTableTests.swift: every row gives the instant in UTC and, in its comment, the local time.

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

    @Test(
        arguments: [
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
        // Fri 21:00 CET
        let decision = Routing.route([.schedule("weekdays")], rota: rota, at: utc("2027-01-08T20:00:00Z"))
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
                id: "9", target: "clinic", person: "bo", from: utc("2027-01-13T09:00:00Z"),
                to: utc("2027-01-13T11:00:00Z"),
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
        #expect(
            duties.map(\.start) == [
                utc("2027-01-04T07:00:00Z"), utc("2027-01-06T07:00:00Z"), utc("2027-01-07T07:00:00Z"),
                utc("2027-01-09T07:00:00Z"),
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
    func theStretchAroundAnInstantGivesSinceAndUntil(instant: String, person: String, since: String, until: String)
        throws
    {
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
