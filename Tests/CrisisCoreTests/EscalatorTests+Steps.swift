import CrisisCore
import Foundation
import Testing

// The escalation steps: when each is paged, how repeats count on, and what stops them.
extension EscalatorTests {
    struct Steps {
        @Test func theNextStepPagesAtExactlyTheEndOfThePreviousStepsWaitAndNotASecondBefore() throws {
            let policy = threeSteps()
            let crisis = received(policy: policy)
            #expect(crisis.progress.nextAt == t0 + 300)

            let early = Escalator.evaluate(crisis, policy: policy, now: t0 + 299)
            #expect(early.actions.isEmpty)
            #expect(early.snapshot == crisis)

            let due = Escalator.evaluate(crisis, policy: policy, now: t0 + 300)
            #expect(steps(due.actions) == [.page(number: 2, targets: [backup], dueAt: t0 + 300)])
            #expect(due.snapshot.progress.step == 1)
            #expect(due.snapshot.progress.round == 0)
            #expect(due.snapshot.progress.nextAt == t0 + 600)
            #expect(due.snapshot.progress.exhausted == false)
        }

        @Test func eachStepWaitsItsOwnWaitBeforeTheNextOne() {
            let policy = EscalationPolicy(
                steps: [
                    .init(targets: [chiefs], wait: 60), .init(targets: [backup], wait: 120),
                    .init(targets: [lead], wait: 600),
                ],
                exhaustedTargets: [dutyManager])
            let run = walk(received(policy: policy), policy: policy, through: every(10, until: 3600))
            #expect(
                steps(run.actions) == [
                    .page(number: 2, targets: [backup], dueAt: t0 + 60),
                    .page(number: 3, targets: [lead], dueAt: t0 + 180),
                    .exhausted(targets: [dutyManager], dueAt: t0 + 780),
                ])
        }

        @Test func withOneRepeatTheListRunsTwiceThenTheExhaustedTargetsArePagedOnceAtTheEndOfTheLastWait() {
            let policy = threeSteps(repeats: 1)
            let run = walk(received(policy: policy), policy: policy, through: every(50, until: 5000))
            #expect(
                steps(run.actions) == [
                    .page(number: 2, targets: [backup], dueAt: t0 + 300),
                    .page(number: 3, targets: [lead], dueAt: t0 + 600),
                    .page(number: 4, targets: [chiefs], dueAt: t0 + 900),
                    .page(number: 5, targets: [backup], dueAt: t0 + 1200),
                    .page(number: 6, targets: [lead], dueAt: t0 + 1500),
                    .exhausted(targets: [dutyManager], dueAt: t0 + 1800),
                ])
            #expect(run.snapshot.progress.exhausted)
            #expect(run.snapshot.progress.nextAt == nil)
        }

        @Test func withNoRepeatTheExhaustedTargetsArePagedAtTheEndOfTheThirdStepsWait() {
            let policy = threeSteps(repeats: 0)
            let crisis = received(policy: policy)

            let beforeEnd = walk(crisis, policy: policy, through: [t0 + 300, t0 + 600, t0 + 899])
            #expect(
                steps(beforeEnd.actions) == [
                    .page(number: 2, targets: [backup], dueAt: t0 + 300),
                    .page(number: 3, targets: [lead], dueAt: t0 + 600),
                ])
            #expect(beforeEnd.snapshot.progress.exhausted == false)

            let atEnd = Escalator.evaluate(beforeEnd.snapshot, policy: policy, now: t0 + 900)
            #expect(steps(atEnd.actions) == [.exhausted(targets: [dutyManager], dueAt: t0 + 900)])
            #expect(atEnd.snapshot.progress.exhausted)
            #expect(atEnd.snapshot.progress.nextAt == nil)

            let later = walk(atEnd.snapshot, policy: policy, through: every(300, until: 20_000))
            #expect(steps(later.actions).isEmpty)
        }

        @Test(arguments: [
            (0, [2, 3], 900.0),
            (1, [2, 3, 4, 5, 6], 1800),
            (2, [2, 3, 4, 5, 6, 7, 8, 9], 2700),
        ])
        func stepNumbersCountOnAcrossPassesUntilTheListIsExhausted(
            repeats: Int, numbers: [Int], exhaustedAfter: TimeInterval
        ) {
            let policy = threeSteps(repeats: repeats)
            let run = walk(received(policy: policy), policy: policy, through: every(100, until: 10_000))
            let pages = steps(run.actions)
            #expect(pages.compactMap { if case .page(let number, _, _) = $0 { number } else { nil } } == numbers)
            #expect(pages.last == .exhausted(targets: [dutyManager], dueAt: t0 + exhaustedAfter))
            #expect(pages.filter { if case .exhausted = $0 { true } else { false } }.count == 1)
        }

        @Test func aDaemonDownThroughSeveralStepsFiresEveryOverdueStepInOrderAtItsScheduledInstant() {
            let policy = threeSteps(repeats: 1)
            let crisis = received(policy: policy)

            let catchUp = Escalator.evaluate(crisis, policy: policy, now: t0 + 1000)
            #expect(
                steps(catchUp.actions) == [
                    .page(number: 2, targets: [backup], dueAt: t0 + 300),
                    .page(number: 3, targets: [lead], dueAt: t0 + 600),
                    .page(number: 4, targets: [chiefs], dueAt: t0 + 900),
                ])
            #expect(catchUp.snapshot.progress.nextAt == t0 + 1200)

            // The same place in the policy as a daemon that never went down.
            let steady = walk(crisis, policy: policy, through: [t0 + 300, t0 + 600, t0 + 900, t0 + 1000])
            #expect(catchUp.snapshot.progress == steady.snapshot.progress)
        }

        @Test(arguments: [300.0, 600, 1000, 1800, 5000, 20_000])
        func anAcknowledgedCrisisNeverPagesAnotherStep(offset: TimeInterval) {
            let policy = threeSteps(repeats: 1)
            let crisis = acknowledging(received(policy: policy), at: t0 + 120)

            let evaluation = Escalator.evaluate(crisis, policy: policy, now: t0 + offset)
            #expect(steps(evaluation.actions).isEmpty)
            #expect(evaluation.snapshot.progress.nextAt == nil)
            #expect(evaluation.snapshot.progress.exhausted == false)

            let run = walk(crisis, policy: policy, through: every(60, until: Int(offset)).filter { $0 >= t0 + 120 })
            #expect(steps(run.actions).isEmpty)
        }

        @Test func theNextDeadlineOfAnAcknowledgedCrisisIgnoresTheEscalation() {
            let crisis = acknowledging(received(), at: t0 + 120)
            // The stored next step (t0+300) is still there until the engine clears it; it must not count.
            #expect(crisis.progress.nextAt == t0 + 300)
            #expect(Escalator.nextDeadline(crisis) == t0 + 2700)
        }

        @Test func anAcknowledgementCommittedAtTheInstantAStepIsDueStopsThatStep() {
            let policy = threeSteps()
            let crisis = acknowledging(received(policy: policy), at: t0 + 300)
            let evaluation = Escalator.evaluate(crisis, policy: policy, now: t0 + 300)
            #expect(evaluation.actions.isEmpty)
            #expect(evaluation.snapshot.progress.nextAt == nil)
        }

        @Test func aCrisisMidEscalationCarriesOnWhenTheDaemonRestartsWithAShorterPolicy() async {
            // The step index is stored with the crisis (escalation_step) and the policy comes from the
            // config read at start: a crisis that paged step 3 of 3 meets a policy of 2 steps.
            await #expect(processExitsWith: .success) {
                let shorter = EscalationPolicy(
                    steps: [.init(targets: [chiefs], wait: 300), .init(targets: [backup], wait: 300)],
                    exhaustedTargets: [dutyManager])
                var crisis = received(policy: threeSteps())
                crisis.progress = EscalationProgress(step: 2, round: 0, nextAt: t0 + 900)
                let now = t0 + 900
                let evaluation = Escalator.evaluate(crisis, policy: shorter, now: now)
                // Something is decided at the due instant, and the next step is no longer due.
                let stillDue = evaluation.snapshot.progress.nextAt.map { $0 <= now } ?? false
                if steps(evaluation.actions).isEmpty || stillDue { exit(EXIT_FAILURE) }
            }
        }
    }
}
