import CrisisCore
import Foundation
import Testing

// The next deadline the engine wakes for, and what a resolved crisis or a late evaluation decides.
extension EscalatorTests {
    struct NextDeadline {
        @Test func theNextDeadlineIsTheNextStepWhenItComesFirst() {
            let policy = EscalationPolicy(steps: [
                .init(targets: [chiefs], wait: 120), .init(targets: [backup], wait: 120),
            ])
            #expect(Escalator.nextDeadline(received(policy: policy)) == t0 + 120)
        }

        @Test func theNextDeadlineIsTheAckClockWhenItComesBeforeTheNextStep() {
            let policy = EscalationPolicy(steps: [
                .init(targets: [chiefs], wait: 600), .init(targets: [backup], wait: 600),
            ])
            #expect(Escalator.nextDeadline(received(policy: policy)) == t0 + 300)
        }

        @Test func theNextDeadlineIsAnUnsentWarningThenTheDeadlineItWarnsOf() {
            let policy = threeSteps()
            var crisis = acknowledging(received(policy: policy), at: t0 + 60)
            #expect(Escalator.nextDeadline(crisis) == t0 + 2700)

            crisis = Escalator.evaluate(crisis, policy: policy, now: t0 + 2700).snapshot
            #expect(Escalator.nextDeadline(crisis) == t0 + 3600)

            crisis = ending("contact", of: crisis, as: .met, at: t0 + 3000)
            #expect(Escalator.nextDeadline(crisis) == t0 + 13_500)

            crisis = Escalator.evaluate(crisis, policy: policy, now: t0 + 13_500).snapshot
            #expect(Escalator.nextDeadline(crisis) == t0 + 14_400)

            crisis = ending("onsite", of: crisis, as: .met, at: t0 + 14_000)
            #expect(Escalator.nextDeadline(crisis) == nil)
        }

        @Test func anExhaustedEscalationHasNoNextStep() {
            let policy = threeSteps()
            let run = walk(received(policy: policy), policy: policy, through: [t0 + 900])
            #expect(run.snapshot.progress.exhausted)
            // The ack clock breached at t0+300; what is left is the contact warning.
            #expect(Escalator.nextDeadline(run.snapshot) == t0 + 2700)
        }

        @Test func aResolvedCrisisHasNoNextDeadline() {
            var crisis = received()
            crisis.resolved = true
            #expect(Escalator.nextDeadline(crisis) == nil)
        }

        @Test func theNextDeadlineIsExactlyWhenTheEscalatorNextDecidesSomething() throws {
            let policy = threeSteps(repeats: 1)
            var crisis = received(policy: policy)
            var decided: [Date] = []
            for _ in 0..<50 {
                guard let deadline = Escalator.nextDeadline(crisis) else { break }
                let before = Escalator.evaluate(crisis, policy: policy, now: deadline - 1)
                #expect(before.actions.isEmpty, "something was decided before the next deadline \(deadline)")
                let at = Escalator.evaluate(crisis, policy: policy, now: deadline)
                try #require(!at.actions.isEmpty, "nothing was decided at the next deadline \(deadline)")
                #expect(at.actions.allSatisfy { instant(of: $0) == deadline })
                decided.append(deadline)
                crisis = at.snapshot
            }
            #expect(Escalator.nextDeadline(crisis) == nil)
            #expect(
                decided.map { $0.timeIntervalSince(t0) } == [
                    300, 600, 900, 1200, 1500, 1800, 2700, 3600, 13_500, 14_400,
                ])
        }

        @Test func aWallClockThatGoesBackwardsDecidesNothingNew() {
            let policy = threeSteps(repeats: 20)
            let later = Escalator.evaluate(received(policy: policy), policy: policy, now: t0 + 3600)
            #expect(!later.actions.isEmpty)

            let backwards = Escalator.evaluate(later.snapshot, policy: policy, now: t0 + 10)
            #expect(backwards.actions.isEmpty)
            #expect(backwards.snapshot == later.snapshot)
            #expect(Escalator.nextDeadline(backwards.snapshot) == Escalator.nextDeadline(later.snapshot))
        }
    }

    struct ResolutionAndOrdering {
        @Test(arguments: [300.0, 3600, 20_000])
        func aResolvedCrisisDecidesNothing(offset: TimeInterval) {
            let policy = threeSteps(repeats: 1)
            // Unacknowledged, with every clock running: everything would be due but for the resolution.
            var crisis = received(policy: policy)
            crisis.resolved = true
            let evaluation = Escalator.evaluate(crisis, policy: policy, now: t0 + offset)
            #expect(evaluation.actions.isEmpty)
            #expect(evaluation.snapshot == crisis)
        }

        @Test func actionsComeOutInTimeOrder() {
            let policy = threeSteps(repeats: 20)
            let evaluation = Escalator.evaluate(received(policy: policy), policy: policy, now: t0 + 3000)
            let instants = evaluation.actions.map(instant(of:))
            #expect(zip(instants, instants.dropFirst()).allSatisfy { $0 <= $1 }, "out of order: \(instants)")

            // Ten steps (t0+300 … t0+3000), the ack breach at t0+300 and the contact warning at t0+2700.
            #expect(evaluation.actions.count == 12)
            #expect(evaluation.actions.contains(.breach("ack", dueAt: t0 + 300)))
            #expect(evaluation.actions.contains(.warn("contact", dueAt: t0 + 3600, warnAt: t0 + 2700)))
            #expect(evaluation.actions.last == .page(number: 11, targets: [backup], dueAt: t0 + 3000))
        }
    }
}
