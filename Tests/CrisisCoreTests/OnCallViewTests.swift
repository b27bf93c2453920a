import CrisisCore
import Foundation
import Testing

struct OnCallViewTests {
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "chiefs", members: ["anna", "bo"], start: LocalDateTime(year: 2026, month: 11, day: 2, hour: 8),
                shift: TimeSpan(days: 7)),
            Rotation(
                id: "backup", members: ["ghost"], start: LocalDateTime(year: 2026, month: 11, day: 2, hour: 8),
                shift: TimeSpan(days: 1)),
            Rotation(
                id: "autumn", members: ["carl"], start: LocalDateTime(year: 2027, month: 9, day: 1, hour: 8),
                shift: TimeSpan(days: 7)),
        ],
        people: [
            Person(id: "anna", name: "Anna Holm", phone: "+4520000001", contacts: ["console"]),
            Person(id: "bo", name: "Bo Madsen", phone: "+4520000002", contacts: ["console"]),
        ])
    let instant = utc("2026-11-12T10:00:00Z")

    @Test func theViewListsEveryRotationSortedById() {
        let view = OnCallView(rota: rota, at: instant)
        #expect(view.rotations.map(\.rotation) == ["autumn", "backup", "chiefs"])
        #expect(view.at == instant)
        #expect(view.timeZone == "Europe/Copenhagen")
    }

    @Test func aStaffedRotationShowsThePersonWithNamePhoneAndShift() throws {
        let entry = try #require(OnCallView(rota: rota, at: instant).rotations.first { $0.rotation == "chiefs" })
        #expect(entry.person == "bo")
        #expect(entry.name == "Bo Madsen")
        #expect(entry.phone == "+4520000002")
        #expect(entry.since == utc("2026-11-09T07:00:00Z"))
        #expect(entry.until == utc("2026-11-16T07:00:00Z"))
    }

    @Test func aRotationThatHasNotStartedShowsNoOne() throws {
        let entry = try #require(OnCallView(rota: rota, at: instant).rotations.first { $0.rotation == "autumn" })
        #expect(entry.person == nil)
        #expect(entry.name == nil)
        #expect(entry.phone == nil)
        #expect(entry.since == nil)
        #expect(entry.until == nil)
    }

    @Test func aMemberMissingFromThePeopleIsShownByIdOnly() throws {
        let entry = try #require(OnCallView(rota: rota, at: instant).rotations.first { $0.rotation == "backup" })
        #expect(entry.person == "ghost")
        #expect(entry.name == nil)
        #expect(entry.phone == nil)
        // Alone on a daily rotation, ghost has been on duty without a break since it started.
        #expect(entry.since == utc("2026-11-02T07:00:00Z"))
    }

    @Test func theJSONUsesSnakeCaseForTheTimeZone() throws {
        let data = try JSONCoding.encoder().encode(OnCallView(rota: rota, at: instant))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["at", "time_zone", "rotations"])
    }
}
