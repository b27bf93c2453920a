import CrisisCore
import Foundation
import Testing

/// The pure planning around the escalator: what an intake records, and what an evaluation's
/// actions page and journal. Handed `now`; nothing here reads a clock.
struct PlanningTests {
    let t0 = utc("2026-11-23T14:00:00Z")
    let reference = CrisisReference(parsing: "CR-7K4P")!
    let policy = EscalatorTests.threeSteps()

    /// anna is on duty on chiefs (push and sms), carl backs them up; lead and the duty manager by name.
    func rota(chiefsStart: LocalDateTime = LocalDateTime(year: 2026, month: 11, day: 23, hour: 8)) -> Rota {
        Rota(
            timeZone: copenhagen,
            rotations: [
                Rotation(id: "chiefs", members: ["anna", "bo"], start: chiefsStart, shift: TimeSpan(days: 7))
            ],
            people: [
                Person(id: "anna", name: "Anna Holm", phone: "+4520000001", contacts: ["push", "sms"]),
                Person(id: "bo", name: "Bo Madsen", phone: "+4520000002", contacts: ["sms"]),
                Person(id: "lead", name: "Service lead", phone: "+4520000009", contacts: ["sms"]),
                Person(id: "duty-manager", name: "Duty manager", phone: "+4520000010", contacts: ["mail"]),
            ])
    }

    let intake = Intake(category: .violence, site: "Depot 4", callback: "+4520000000")

    @Test func eachContactIsPagedAfterItsDelayAndTheJournalSaysWhen() {
        var delayed = rota()
        delayed.people["anna"]?.contacts = [Contact(channel: "push"), Contact(channel: "sms", after: 60)]
        let plan = IntakePlan(intake, escalation: policy, clocks: ClockPolicy(), rota: delayed, at: t0)
        #expect(plan.pages.map { "\($0.channel)+\(Int($0.after))" } == ["push+0", "sms+60"])
        let draft = plan.draft(reference: reference, intake: intake, source: "crisisctl", idempotencyKey: nil, at: t0)
        let queued = draft.journal.filter { $0.kind == .pageQueued }
        #expect(queued.map { $0.data["not_before"] } == [nil, (t0 + 60).formatted(.iso8601)])
    }

    @Test func anIntakePagesThePersonOnDutyOnEachOfTheirChannelsAndJournalsItInOrder() {
        let plan = IntakePlan(intake, escalation: policy, clocks: ClockPolicy(), rota: rota(), at: t0)
        #expect(plan.pages.map { "\($0.person)/\($0.channel)/\($0.step)" } == ["anna/push/1", "anna/sms/1"])
        #expect(plan.clocks.map(\.kind) == ["ack", "contact", "onsite"])
        #expect(plan.progress.nextAt == t0 + 300)

        let draft = plan.draft(reference: reference, intake: intake, source: "crisisctl", idempotencyKey: "k", at: t0)
        #expect(draft.assigned == ["anna"])
        #expect(!draft.noOneOnDuty)
        #expect(
            draft.journal.map(\.kind) == [
                .crisisReceived, .crisisRouted, .clockStarted, .clockStarted, .clockStarted, .pageQueued, .pageQueued,
            ])
        #expect(draft.journal.first?.actor == "crisisctl")
        #expect(draft.journal.allSatisfy { $0.reference == reference && $0.at == t0 })
        // The journal carries no note and no requester name: privacy.
        #expect(
            draft.journal.first?.data.keys.sorted() == [
                "callback", "category", "drill", "group", "requester_role", "site",
            ])
    }

    @Test func aRequesterWithAReceiptChannelGetsAReceiptAtOnceAndANoticeHeldForTheAcknowledgement() {
        let plan = IntakePlan(intake, escalation: policy, clocks: ClockPolicy(), rota: rota(), at: t0)
        let draft = plan.draft(
            reference: reference, intake: intake, source: "requester:glostrup", idempotencyKey: nil, receiptsVia: "sms",
            at: t0)
        #expect(
            draft.pages.map { "\($0.person)/\($0.channel)/\($0.kind.rawValue)/\($0.held)" } == [
                "anna/push/crisis/false", "anna/sms/crisis/false", "requester:glostrup/sms/receipt/false",
                "requester:glostrup/sms/ack_notice/true",
            ])
        #expect(draft.assigned == ["anna"], "the requester is told, not paged")
        let queued = draft.journal.filter { $0.kind == .pageQueued }.suffix(2)
        #expect(queued.map { $0.data["kind"] } == ["receipt", "ack_notice"])
        #expect(queued.map { $0.data["held"] } == [nil, "until acknowledged"])

        let without = plan.draft(
            reference: reference, intake: intake, source: "requester:glostrup", idempotencyKey: nil, at: t0)
        #expect(without.pages.allSatisfy { $0.kind == .crisis })
    }

    @Test func anIntakeWithNoOneOnDutyPagesEveryMemberAndTheExhaustedTargetsAtOnce() {
        let unstaffed = rota(chiefsStart: LocalDateTime(year: 2027, month: 1, day: 4, hour: 8))
        let plan = IntakePlan(intake, escalation: policy, clocks: ClockPolicy(), rota: unstaffed, at: t0)
        #expect(plan.routing.noOneOnDuty)
        #expect(plan.routing.recipients.map(\.person) == ["anna", "bo", "duty-manager"])
        #expect(plan.routing.recipients.last?.reason.hasPrefix("no one on duty: ") == true)
        let draft = plan.draft(reference: reference, intake: intake, source: "requester:x", idempotencyKey: nil, at: t0)
        #expect(draft.noOneOnDuty)
        #expect(draft.journal.contains { $0.kind == .crisisUnstaffed && $0.data["rotations"] == "chiefs" })
        #expect(plan.pages.map(\.channel) == ["push", "sms", "sms", "mail"])
    }

    @Test func nothingDueMeansNoUpdate() {
        let crisis = EscalatorTests.received(policy: policy)
        #expect(
            EscalationEffects.update(crisis, policy: policy, clocks: ClockPolicy(), rota: rota(), now: t0 + 299) == nil)
    }

    @Test func anUnacknowledgedStepPagesTheNextTargetsAndJournalsTheStep() throws {
        let crisis = EscalatorTests.received(policy: policy)
        let update = try #require(
            EscalationEffects.update(crisis, policy: policy, clocks: ClockPolicy(), rota: rota(), now: t0 + 300))
        // Step 2 is chiefs' backup: there is none in this rota, so no one is paged and it says so.
        let step = try #require(update.journal.first { $0.kind == .escalationStep })
        #expect(step.data["step"] == "2")
        #expect(update.snapshot.progress.step > crisis.progress.step)
    }

    @Test func aContractClockWarningPagesWhoeverAcknowledgedAndTheBreachTargetsAndAnAckBreachPagesNoOne() throws {
        var crisis = EscalatorTests.received(policy: policy)
        crisis.acknowledgedAt = t0 + 60
        crisis.acknowledgedBy = "bo"
        crisis.clocks = crisis.clocks.map { clock in
            var clock = clock
            if clock.kind == "ack" { clock.outcome = .met }
            return clock
        }
        // 15 minutes before the 1-hour contact deadline.
        let warning = try #require(
            EscalationEffects.update(crisis, policy: policy, clocks: ClockPolicy(), rota: rota(), now: t0 + 2700))
        #expect(
            warning.pages.map { "\($0.person)/\($0.kind)/\($0.clock.map(\.rawValue) ?? "")" } == [
                "bo/warning/contact", "lead/warning/contact",
            ])
        #expect(warning.journal.contains { $0.kind == .clockWarned && $0.data["people"] == "bo,lead" })

        let unacknowledged = EscalatorTests.received(policy: policy)
        let late = try #require(
            EscalationEffects.update(unacknowledged, policy: policy, clocks: ClockPolicy(), rota: rota(), now: t0 + 300)
        )
        let ackBreach = try #require(late.journal.first { $0.kind == .clockEnded && $0.data["clock"] == "ack" })
        #expect(ackBreach.data["people"] == nil, "the ack clock's breach is the escalation's business")
        #expect(!late.pages.contains { $0.kind == .breach })
    }
}
