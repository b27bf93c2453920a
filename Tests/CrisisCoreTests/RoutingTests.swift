import CrisisCore
import Foundation
import Testing

struct RoutingTests {
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "chiefs", members: ["anna", "bo"], start: LocalDateTime(year: 2026, month: 11, day: 2, hour: 8),
                shift: TimeSpan(days: 7), backup: "seniors"),
            Rotation(
                id: "seniors", members: ["carl", "dorte"], start: LocalDateTime(year: 2026, month: 11, day: 2, hour: 8),
                shift: TimeSpan(days: 1)),
            Rotation(
                id: "future", members: ["erik", "frida"], start: LocalDateTime(year: 2027, month: 1, day: 4, hour: 8),
                shift: TimeSpan(days: 7)),
        ],
        people: [])

    /// Thursday of the first week, 13:00 in Copenhagen: anna is on duty on chiefs.
    let thursday = utc("2026-11-05T12:00:00Z")

    @Test func aRotationTargetPagesThePersonOnDutyAndSaysWhy() {
        let decision = Routing.route([.rotation("chiefs")], rota: rota, at: thursday)
        #expect(decision.recipients.map(\.person) == ["anna"])
        #expect(decision.recipients.first?.target == "rotation:chiefs")
        #expect(decision.recipients.first?.reason == "on duty on chiefs until 2026-11-09T07:00:00Z")
        #expect(decision.unstaffedRotations.isEmpty)
        #expect(!decision.noOneOnDuty)
    }

    @Test func routesToThePersonOnDutyAtTheHandoffInstant() {
        let decision = Routing.route([.rotation("chiefs")], rota: rota, at: utc("2026-11-09T07:00:00Z"))
        #expect(decision.recipients.map(\.person) == ["bo"])
        #expect(decision.recipients.first?.reason == "on duty on chiefs until 2026-11-16T07:00:00Z")
    }

    @Test func anUnstaffedRotationPagesEveryMemberAndSaysSo() {
        let decision = Routing.route([.rotation("future")], rota: rota, at: thursday)
        #expect(decision.recipients.map(\.person) == ["erik", "frida"])
        #expect(decision.recipients.allSatisfy { $0.target == "rotation:future" })
        #expect(decision.recipients.allSatisfy { $0.reason == "no one on duty on future: every member paged" })
        #expect(decision.unstaffedRotations == ["future"])
        #expect(decision.noOneOnDuty)
    }

    /// The config loader refuses such a policy; should one reach routing anyway (a policy paired
    /// with another file's rota), it is a rotation with no one on duty, never a silent drop.
    @Test func aTargetTheRotaDoesNotKnowIsUnstaffedNotDropped() {
        let decision = Routing.route([.rotation("nurses"), .schedule("weekend")], rota: rota, at: thursday)
        #expect(decision.recipients.isEmpty)
        #expect(decision.unstaffedRotations == ["nurses", "weekend"])
        #expect(decision.noOneOnDuty)
    }

    @Test func aPersonTargetPagesThatPerson() {
        let decision = Routing.route([.person("lead")], rota: rota, at: thursday)
        #expect(decision.recipients.map(\.person) == ["lead"])
        #expect(decision.recipients.first?.target == "person:lead")
        #expect(decision.recipients.first?.reason == "named in the escalation policy")
        #expect(!decision.noOneOnDuty)
    }

    @Test func aBackupTargetPagesThePersonOnDutyOnTheBackupRotation() {
        // seniors hands off daily from 2026-11-02: Thursday 2026-11-05 is index 3, dorte.
        let decision = Routing.route([.rotationBackup("chiefs")], rota: rota, at: thursday)
        #expect(decision.recipients.map(\.person) == ["dorte"])
        #expect(decision.recipients.first?.target == "rotation:chiefs:backup")
        #expect(decision.recipients.first?.reason == "on duty on seniors until 2026-11-06T07:00:00Z")
    }

    @Test func aBackupTargetOfARotationWithoutBackupPagesNoOne() {
        let decision = Routing.route([.rotationBackup("seniors")], rota: rota, at: thursday)
        #expect(decision.recipients.isEmpty)
    }

    @Test func aPersonNamedTwiceIsPagedOnceUnderTheFirstTarget() {
        let decision = Routing.route(
            [.rotation("chiefs"), .person("anna"), .rotation("chiefs")], rota: rota, at: thursday)
        #expect(decision.recipients.map(\.person) == ["anna"])
        #expect(decision.recipients.first?.target == "rotation:chiefs")
    }

    @Test func severalTargetsArePagedInOrder() {
        let decision = Routing.route(
            [.rotation("chiefs"), .rotationBackup("chiefs"), .person("lead"), .rotation("future")], rota: rota,
            at: thursday)
        #expect(decision.recipients.map(\.person) == ["anna", "dorte", "lead", "erik", "frida"])
        #expect(decision.unstaffedRotations == ["future"])
    }

    @Test func anUnknownRotationPagesNoOne() {
        #expect(Routing.route([.rotation("ghosts")], rota: rota, at: thursday).recipients.isEmpty)
    }
}
