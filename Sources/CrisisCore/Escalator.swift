import Foundation

/// The escalation engine's decisions, as a pure function of a crisis, the policy and `now`.
///
/// It never reads the clock and does no I/O: the engine hands it a snapshot read inside a
/// write transaction and records what it returns in that same transaction. Evaluating the
/// result again at the same `now` decides nothing new.
public enum Escalator {
    public struct Evaluation: Sendable, Equatable {
        public var actions: [EscalationAction]
        public var snapshot: CrisisSnapshot
    }

    public static func evaluate(_ crisis: CrisisSnapshot, policy: EscalationPolicy, now: Date) -> Evaluation {
        var state = crisis
        var actions: [EscalationAction] = []
        guard !state.resolved else { return Evaluation(actions: [], snapshot: state) }

        // Steps: each due one pages, counting from its scheduled instant, so a daemon that was
        // down through several steps runs them all at once rather than pushing them later.
        if state.acknowledgedAt == nil, !state.progress.exhausted, !policy.steps.isEmpty {
            while let due = state.progress.nextAt, due <= now {
                var next = state.progress
                next.step += 1
                // `>=`: a crisis stored mid-escalation may meet a shorter policy after a reload or restart.
                if next.step >= policy.steps.count {
                    next.step = 0
                    next.round += 1
                }
                if next.round > policy.repeats {
                    state.progress.exhausted = true
                    state.progress.nextAt = nil
                    actions.append(.exhausted(targets: policy.exhaustedTargets, dueAt: due))
                    break
                }
                let step = policy.steps[next.step]
                next.nextAt = due + step.wait
                state.progress = next
                actions.append(
                    .page(number: policy.number(step: next.step, round: next.round), targets: step.targets, dueAt: due))
            }
        } else if state.acknowledgedAt != nil {
            state.progress.nextAt = nil
        }

        // Clocks: a warning before the deadline, a breach at it; an ended clock does neither.
        for index in state.clocks.indices where state.clocks[index].isRunning {
            let clock = state.clocks[index]
            if clock.dueAt <= now {
                state.clocks[index].outcome = .breached
                state.clocks[index].endedAt = clock.dueAt
                actions.append(.breach(clock.kind, dueAt: clock.dueAt))
            } else if let warnAt = clock.warnAt, warnAt <= now, clock.warnedAt == nil {
                state.clocks[index].warnedAt = now
                actions.append(.warn(clock.kind, dueAt: clock.dueAt, warnAt: warnAt))
            }
        }
        actions.sort { instant($0) < instant($1) }
        return Evaluation(actions: actions, snapshot: state)
    }

    /// The next instant at which `evaluate` would decide something: the engine sleeps until then.
    public static func nextDeadline(_ crisis: CrisisSnapshot) -> Date? {
        guard !crisis.resolved else { return nil }
        var candidates: [Date] = []
        if crisis.acknowledgedAt == nil, !crisis.progress.exhausted, let next = crisis.progress.nextAt {
            candidates.append(next)
        }
        for clock in crisis.clocks where clock.isRunning {
            candidates.append(clock.dueAt)
            if let warnAt = clock.warnAt, clock.warnedAt == nil { candidates.append(warnAt) }
        }
        return candidates.min()
    }

    private static func instant(_ action: EscalationAction) -> Date {
        switch action {
        case .page(_, _, let at), .exhausted(_, let at), .breach(_, let at): at
        case .warn(_, _, let at): at
        }
    }
}
