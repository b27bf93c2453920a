import CrisisCore
import Foundation
import Testing

// A manual clock: every instant is t0 plus whole seconds. Nothing here reads the real clock.
private let t0 = utc("2026-11-23T14:00:00Z")
private let reference = CrisisReference(parsing: "CR-7K4P")!

private let chiefs = EscalationTarget.rotation("chiefs")
private let backup = EscalationTarget.rotationBackup("chiefs")
private let lead = EscalationTarget.person("lead")
private let dutyManager = EscalationTarget.person("duty-manager")

/// chiefs, then their backup, then the service lead, 300 s apart.
private func threeSteps(repeats: Int = 0) -> EscalationPolicy {
    EscalationPolicy(
        steps: [
            .init(targets: [chiefs], wait: 300),
            .init(targets: [backup], wait: 300),
            .init(targets: [lead], wait: 300),
        ],
        repeats: repeats, breachTargets: [lead], exhaustedTargets: [dutyManager])
}

/// A crisis received at t0 whose first step was paged at intake, with the contract clocks
/// (ack 5 min, contact 1 h, on site 4 h, warnings 15 min ahead).
private func received(
    policy: EscalationPolicy = threeSteps(), clocks: ClockPolicy = ClockPolicy(), group: Bool = false
) -> CrisisSnapshot {
    CrisisSnapshot(
        reference: reference, receivedAt: t0, assigned: ["anna"],
        progress: .start(policy: policy, at: t0),
        clocks: clocks.startClocks(firstContact: t0, group: group))
}

/// What the store does on an acknowledgement: records who and when and meets the ack clock.
private func acknowledging(_ crisis: CrisisSnapshot, at instant: Date, by person: String = "anna") -> CrisisSnapshot {
    var crisis = crisis
    crisis.acknowledgedAt = instant
    crisis.acknowledgedBy = person
    for index in crisis.clocks.indices where crisis.clocks[index].kind == .ack && crisis.clocks[index].isRunning {
        crisis.clocks[index].outcome = instant <= crisis.clocks[index].dueAt ? .met : .breached
        crisis.clocks[index].endedAt = instant
    }
    return crisis
}

private func clock(_ kind: ClockKind, in crisis: CrisisSnapshot) -> ResponseClock? {
    crisis.clocks.first { $0.kind == kind }
}

/// The escalation steps among `actions` (pages and exhaustion), without the clocks.
private func steps(_ actions: [EscalationAction]) -> [EscalationAction] {
    actions.filter {
        switch $0 {
        case .page, .exhausted: true
        case .warn, .breach: false
        }
    }
}

/// The warnings and breaches of one clock among `actions`.
private func about(_ kind: ClockKind, _ actions: [EscalationAction]) -> [EscalationAction] {
    actions.filter {
        switch $0 {
        case .warn(let clock, _, _), .breach(let clock, _): clock == kind
        case .page, .exhausted: false
        }
    }
}

private func instant(of action: EscalationAction) -> Date {
    switch action {
    case .page(_, _, let dueAt), .exhausted(_, let dueAt), .breach(_, let dueAt): dueAt
    case .warn(_, _, let warnAt): warnAt
    }
}

/// Runs the escalator as the engine would: at each instant in turn, on what it decided last.
private func walk(
    _ crisis: CrisisSnapshot, policy: EscalationPolicy, through instants: some Sequence<Date>
) -> (actions: [EscalationAction], snapshot: CrisisSnapshot) {
    var snapshot = crisis
    var actions: [EscalationAction] = []
    for now in instants {
        let evaluation = Escalator.evaluate(snapshot, policy: policy, now: now)
        actions += evaluation.actions
        snapshot = evaluation.snapshot
    }
    return (actions, snapshot)
}

/// Every `step` seconds from t0 up to and including t0 + `last`.
private func every(_ step: Int, until last: Int) -> [Date] {
    stride(from: 0, through: last, by: step).map { t0 + TimeInterval($0) }
}

struct EscalatorTests {
    // MARK: - Steps

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
            steps: [.init(targets: [chiefs], wait: 60), .init(targets: [backup], wait: 120), .init(targets: [lead], wait: 600)],
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
    func stepNumbersCountOnAcrossPassesUntilTheListIsExhausted(repeats: Int, numbers: [Int], exhaustedAfter: TimeInterval) {
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

    // MARK: - Idempotence

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

    // MARK: - Warnings and breaches

    @Test(arguments: [(ClockKind.contact, 2700.0, 3600.0), (.onsite, 13_500, 14_400)])
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
        let warned = Escalator.evaluate(acknowledging(received(policy: policy), at: t0 + 60), policy: policy, now: t0 + 2700)
        let late = Escalator.evaluate(warned.snapshot, policy: policy, now: t0 + offset)
        #expect(about(.contact, late.actions) == [.breach(.contact, dueAt: t0 + 3600)])
        let contact = try #require(clock(.contact, in: late.snapshot))
        #expect(contact.outcome == .breached)
        #expect(contact.endedAt == t0 + 3600)
    }

    @Test func jumpingPastTheDeadlineBreachesWithoutAWarning() throws {
        let policy = threeSteps()
        let crisis = acknowledging(received(policy: policy), at: t0 + 60)
        let evaluation = Escalator.evaluate(crisis, policy: policy, now: t0 + 4000)
        #expect(about(.contact, evaluation.actions) == [.breach(.contact, dueAt: t0 + 3600)])
        let contact = try #require(clock(.contact, in: evaluation.snapshot))
        #expect(contact.outcome == .breached)
        #expect(contact.endedAt == t0 + 3600)
    }

    @Test(arguments: [1600.0, 2700, 3600, 5000, 13_500, 14_400, 30_000])
    func metAndWaivedClocksSendNothingAtAnyLaterInstant(offset: TimeInterval) {
        let policy = threeSteps()
        var crisis = acknowledging(received(policy: policy), at: t0 + 60)
        crisis = ending(.contact, of: crisis, as: .met, at: t0 + 1200)
        crisis = ending(.onsite, of: crisis, as: .waived, at: t0 + 1500, by: "chief", reason: "handled by phone")

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
        #expect(clock(.ack, in: crisis)?.warnAt == nil)

        let beforeDue = walk(crisis, policy: policy, through: every(30, until: 1799))
        #expect(about(.ack, beforeDue.actions).isEmpty)

        let atDue = Escalator.evaluate(beforeDue.snapshot, policy: policy, now: t0 + 1800)
        #expect(about(.ack, atDue.actions) == [.breach(.ack, dueAt: t0 + 1800)])
        let ack = try #require(clock(.ack, in: atDue.snapshot))
        #expect(ack.outcome == .breached)
        #expect(ack.endedAt == t0 + 1800)
        #expect(ack.warnedAt == nil)
    }

    // MARK: - The next deadline

    @Test func theNextDeadlineIsTheNextStepWhenItComesFirst() {
        let policy = EscalationPolicy(steps: [.init(targets: [chiefs], wait: 120), .init(targets: [backup], wait: 120)])
        #expect(Escalator.nextDeadline(received(policy: policy)) == t0 + 120)
    }

    @Test func theNextDeadlineIsTheAckClockWhenItComesBeforeTheNextStep() {
        let policy = EscalationPolicy(steps: [.init(targets: [chiefs], wait: 600), .init(targets: [backup], wait: 600)])
        #expect(Escalator.nextDeadline(received(policy: policy)) == t0 + 300)
    }

    @Test func theNextDeadlineIsAnUnsentWarningThenTheDeadlineItWarnsOf() {
        let policy = threeSteps()
        var crisis = acknowledging(received(policy: policy), at: t0 + 60)
        #expect(Escalator.nextDeadline(crisis) == t0 + 2700)

        crisis = Escalator.evaluate(crisis, policy: policy, now: t0 + 2700).snapshot
        #expect(Escalator.nextDeadline(crisis) == t0 + 3600)

        crisis = ending(.contact, of: crisis, as: .met, at: t0 + 3000)
        #expect(Escalator.nextDeadline(crisis) == t0 + 13_500)

        crisis = Escalator.evaluate(crisis, policy: policy, now: t0 + 13_500).snapshot
        #expect(Escalator.nextDeadline(crisis) == t0 + 14_400)

        crisis = ending(.onsite, of: crisis, as: .met, at: t0 + 14_000)
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
        #expect(decided.map { $0.timeIntervalSince(t0) } == [300, 600, 900, 1200, 1500, 1800, 2700, 3600, 13_500, 14_400])
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

    // MARK: - Resolution and ordering

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
        #expect(evaluation.actions.contains(.breach(.ack, dueAt: t0 + 300)))
        #expect(evaluation.actions.contains(.warn(.contact, dueAt: t0 + 3600, warnAt: t0 + 2700)))
        #expect(evaluation.actions.last == .page(number: 11, targets: [backup], dueAt: t0 + 3000))
    }
}
