import CrisisCore
import Foundation
import Testing

struct ClockPolicyTests {
    let firstContact = utc("2026-11-23T14:00:00Z")

    @Test func theDefaultsAreTheContract() {
        let policy = ClockPolicy()
        #expect(policy.rules.map(\.name) == ["ack", "contact", "onsite", "leader_informed"])
        #expect(policy["ack"]?.deadline == .elapsed(TimeSpan(seconds: 300)))
        #expect(policy["contact"]?.deadline == .elapsed(TimeSpan(seconds: 3600)))
        #expect(policy["onsite"]?.deadline == .elapsed(TimeSpan(seconds: 4 * 3600)))
        #expect(policy["ack"]?.warnBefore == nil, "an unacknowledged page escalates; it does not warn")
        #expect(policy["contact"]?.warnBefore?.seconds == 900)
        #expect(policy["onsite"]?.warnBefore?.seconds == 900)
        #expect(policy["contact"]?.appliesToGroups == true)
        #expect(
            policy.rules.map(\.stop) == [
                .acknowledgement, .milestone(.contacted), .milestone(.onsite), .milestone(.leaderInformed),
            ])
        #expect(policy.rules.allSatisfy { $0.start == .intake })
        #expect(
            policy.rules.map { $0.waivableBy != nil } == [false, false, true, false],
            "only the on-site clock may be waived")
        // The leader of an employee who raised a crisis is told within 2 h; the responder is reminded.
        #expect(policy["leader_informed"]?.deadline == .elapsed(TimeSpan(seconds: 2 * 3600)))
        #expect(policy["leader_informed"]?.requesterRoles == [.employee])
        #expect(policy["leader_informed"]?.audience == [.responder] && policy["leader_informed"]?.warnBefore == nil)
        #expect(
            policy.startClocks(firstContact: firstContact, group: false, requesterRole: .employee).map(\.kind)
                == ["ack", "contact", "onsite", "leader_informed"])
        #expect(
            policy.startClocks(firstContact: firstContact, group: false, requesterRole: .hr).map(\.kind)
                == ["ack", "contact", "onsite"], "only a crisis an employee raised owes its leader word")
        #expect(policy["ack"]?.audience == [])
        #expect(policy["contact"]?.audience == [.responder, .breach])
    }

    @Test func everyDeadlineIsCountedFromFirstContact() {
        let clocks = ClockPolicy().startClocks(firstContact: firstContact, group: false)
        #expect(clocks.map(\.kind) == ["ack", "contact", "onsite"])
        #expect(
            clocks.map(\.dueAt) == [
                utc("2026-11-23T14:05:00Z"), utc("2026-11-23T15:00:00Z"), utc("2026-11-23T18:00:00Z"),
            ])
        #expect(clocks.allSatisfy { $0.startedAt == firstContact && $0.isRunning && $0.endedAt == nil })
    }

    @Test func configuredLengthsAreUsed() {
        let policy = ClockPolicy(
            ack: TimeSpan(seconds: 120), contact: TimeSpan(seconds: 1800), onsite: TimeSpan(seconds: 7200),
            warnBefore: TimeSpan(seconds: 300))
        let clocks = policy.startClocks(firstContact: firstContact, group: false)
        #expect(clocks.map { $0.dueAt.timeIntervalSince(firstContact) } == [120, 1800, 7200])
    }

    @Test func aGroupCrisisHasNoContactClockWhenItAppliesToIndividualsOnly() {
        let policy = ClockPolicy(contactAppliesToGroups: false)
        #expect(policy.startClocks(firstContact: firstContact, group: true).map(\.kind) == ["ack", "onsite"])
        #expect(
            policy.startClocks(firstContact: firstContact, group: false).map(\.kind) == ["ack", "contact", "onsite"])
    }

    @Test func aGroupCrisisHasAContactClockWhenItAppliesToAll() {
        #expect(
            ClockPolicy().startClocks(firstContact: firstContact, group: true).map(\.kind) == [
                "ack", "contact", "onsite",
            ])
    }
}
