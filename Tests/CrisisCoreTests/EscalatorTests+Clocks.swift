import CrisisCore
import Foundation
import Testing

// The response clocks: warnings and breaches at their exact instants, and decisions taken once.
extension EscalatorTests {
    struct Idempotence {
        @Test(arguments: [0.0, 299, 300, 301, 900, 1000, 2700, 3600, 5000, 13_500, 14_400, 20_000], [false, true])
        func evaluatingTheResultAgainAtTheSameInstantDecidesNothingNew(offset: TimeInterval, acknowledged: Bool) {
            let policy = threeSteps(repeats: 1)
            var crisis = received(policy: policy)
            if acknowledged { crisis = acknowledging(crisis, at: t0 + 200) }
            let now = t0 + offset

            let first = Escalator.evaluate(crisis, policy: policy, now: now)
            let second = Escalator.evaluate(first.snapshot, policy: policy, now: now)
            #expect(second.actions.isEmpty)
            #expect(second.snapshot == first.snapshot)
        }
    }

    struct WarningsAndBreaches {
        @Test(arguments: [(ClockKind("contact"), 2700.0, 3600.0), ("onsite", 13_500, 14_400)])
        func aContractClockWarnsAtItsWarnInstantAndBreachesAtItsDeadlineExactly(
            kind: ClockKind, warnOffset: TimeInterval, dueOffset: TimeInterval
        ) throws {
            let policy = threeSteps()
            let crisis = acknowledging(received(policy: policy), at: t0 + 60)
            let warnAt = t0 + warnOffset
            let dueAt = t0 + dueOffset

            let justBefore = Escalator.evaluate(crisis, policy: policy, now: warnAt - 1)
            #expect(about(kind, justBefore.actions).isEmpty)
            #expect(clock(kind, in: justBefore.snapshot)?.warnedAt == nil)

            let warned = Escalator.evaluate(justBefore.snapshot, policy: policy, now: warnAt)
            #expect(about(kind, warned.actions) == [.warn(kind, dueAt: dueAt, warnAt: warnAt)])
            let warnedClock = try #require(clock(kind, in: warned.snapshot))
            #expect(warnedClock.warnedAt == warnAt)
            #expect(warnedClock.isRunning)

            let beforeDeadline = Escalator.evaluate(warned.snapshot, policy: policy, now: dueAt - 1)
            #expect(about(kind, beforeDeadline.actions).isEmpty)
            #expect(clock(kind, in: beforeDeadline.snapshot)?.isRunning == true)

            let breached = Escalator.evaluate(beforeDeadline.snapshot, policy: policy, now: dueAt)
            #expect(about(kind, breached.actions) == [.breach(kind, dueAt: dueAt)])
            let breachedClock = try #require(clock(kind, in: breached.snapshot))
            #expect(breachedClock.outcome == .breached)
            #expect(breachedClock.endedAt == dueAt)
        }

        @Test(arguments: [3600.0, 3601, 5000, 14_000])
        func aBreachIsRecordedAtTheDeadlineNotWhenTheEngineGotToIt(offset: TimeInterval) throws {
            let policy = threeSteps()
            let warned = Escalator.evaluate(
                acknowledging(received(policy: policy), at: t0 + 60), policy: policy, now: t0 + 2700)
            let late = Escalator.evaluate(warned.snapshot, policy: policy, now: t0 + offset)
            #expect(about("contact", late.actions) == [.breach("contact", dueAt: t0 + 3600)])
            let contact = try #require(clock("contact", in: late.snapshot))
            #expect(contact.outcome == .breached)
            #expect(contact.endedAt == t0 + 3600)
        }

        @Test func jumpingPastTheDeadlineBreachesWithoutAWarning() throws {
            let policy = threeSteps()
            let crisis = acknowledging(received(policy: policy), at: t0 + 60)
            let evaluation = Escalator.evaluate(crisis, policy: policy, now: t0 + 4000)
            #expect(about("contact", evaluation.actions) == [.breach("contact", dueAt: t0 + 3600)])
            let contact = try #require(clock("contact", in: evaluation.snapshot))
            #expect(contact.outcome == .breached)
            #expect(contact.endedAt == t0 + 3600)
        }

        @Test(arguments: [1600.0, 2700, 3600, 5000, 13_500, 14_400, 30_000])
        func metAndWaivedClocksSendNothingAtAnyLaterInstant(offset: TimeInterval) {
            let policy = threeSteps()
            var crisis = acknowledging(received(policy: policy), at: t0 + 60)
            crisis = ending("contact", of: crisis, as: .met, at: t0 + 1200)
            crisis = ending("onsite", of: crisis, as: .waived, at: t0 + 1500, by: "chief", reason: "handled by phone")

            let evaluation = Escalator.evaluate(crisis, policy: policy, now: t0 + offset)
            #expect(evaluation.actions.isEmpty)
            #expect(evaluation.snapshot.clocks == crisis.clocks)

            let run = walk(crisis, policy: policy, through: every(300, until: Int(offset)))
            #expect(run.actions.isEmpty)
            #expect(run.snapshot.clocks == crisis.clocks)
        }

        @Test func theAckClockBreachesAtItsDeadlineWithoutAnyWarning() throws {
            // An ack clock longer than warn_before: a contract clock of this length would warn.
            let clocks = ClockPolicy(ack: TimeSpan(seconds: 1800), warnBefore: TimeSpan(seconds: 900))
            let policy = threeSteps(repeats: 10)
            let crisis = received(policy: policy, clocks: clocks)
            #expect(clock("ack", in: crisis)?.warnAt == nil)

            let beforeDue = walk(crisis, policy: policy, through: every(30, until: 1799))
            #expect(about("ack", beforeDue.actions).isEmpty)

            let atDue = Escalator.evaluate(beforeDue.snapshot, policy: policy, now: t0 + 1800)
            #expect(about("ack", atDue.actions) == [.breach("ack", dueAt: t0 + 1800)])
            let ack = try #require(clock("ack", in: atDue.snapshot))
            #expect(ack.outcome == .breached)
            #expect(ack.endedAt == t0 + 1800)
            #expect(ack.warnedAt == nil)
        }
    }
}
