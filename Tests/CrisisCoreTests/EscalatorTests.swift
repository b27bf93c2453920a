import CrisisCore
import Foundation

/// The escalator's tests, one suite per subject in `EscalatorTests+*.swift`, and the helpers they share.
enum EscalatorTests {
    // A manual clock: every instant is t0 plus whole seconds. Nothing here reads the real clock.
    static let t0 = utc("2026-11-23T14:00:00Z")
    static let reference = CrisisReference(parsing: "CR-7K4P")!

    static let chiefs = EscalationTarget.rotation("chiefs")
    static let backup = EscalationTarget.rotationBackup("chiefs")
    static let lead = EscalationTarget.person("lead")
    static let dutyManager = EscalationTarget.person("duty-manager")

    /// chiefs, then their backup, then the service lead, 300 s apart.
    static func threeSteps(repeats: Int = 0) -> EscalationPolicy {
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
    static func received(
        policy: EscalationPolicy = threeSteps(), clocks: ClockPolicy = ClockPolicy(), group: Bool = false
    ) -> CrisisSnapshot {
        CrisisSnapshot(
            reference: reference, receivedAt: t0, assigned: ["anna"],
            progress: .start(policy: policy, at: t0),
            clocks: clocks.startClocks(firstContact: t0, group: group))
    }

    /// What the store does on an acknowledgement: records who and when and meets the ack clock.
    static func acknowledging(_ crisis: CrisisSnapshot, at instant: Date, by person: String = "anna") -> CrisisSnapshot
    {
        var crisis = crisis
        crisis.acknowledgedAt = instant
        crisis.acknowledgedBy = person
        for index in crisis.clocks.indices where crisis.clocks[index].kind == "ack" && crisis.clocks[index].isRunning {
            crisis.clocks[index].outcome = instant <= crisis.clocks[index].dueAt ? .met : .breached
            crisis.clocks[index].endedAt = instant
        }
        return crisis
    }

    static func clock(_ kind: ClockKind, in crisis: CrisisSnapshot) -> ResponseClock? {
        crisis.clocks.first { $0.kind == kind }
    }

    /// The escalation steps among `actions` (pages and exhaustion), without the clocks.
    static func steps(_ actions: [EscalationAction]) -> [EscalationAction] {
        actions.filter {
            switch $0 {
            case .page, .exhausted: true
            case .warn, .breach: false
            }
        }
    }

    /// The warnings and breaches of one clock among `actions`.
    static func about(_ kind: ClockKind, _ actions: [EscalationAction]) -> [EscalationAction] {
        actions.filter {
            switch $0 {
            case .warn(let clock, _, _), .breach(let clock, _): clock == kind
            case .page, .exhausted: false
            }
        }
    }

    static func instant(of action: EscalationAction) -> Date {
        switch action {
        case .page(_, _, let dueAt), .exhausted(_, let dueAt), .breach(_, let dueAt): dueAt
        case .warn(_, _, let warnAt): warnAt
        }
    }

    /// Runs the escalator as the engine would: at each instant in turn, on what it decided last.
    static func walk(
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
    static func every(_ step: Int, until last: Int) -> [Date] {
        stride(from: 0, through: last, by: step).map { t0 + TimeInterval($0) }
    }
}
