import Foundation

/// What a milestone does to a crisis's clocks, and when it is out of order.
public enum MilestoneRules {
    /// The clock changes and closure a milestone brings.
    public struct Effect: Sendable, Equatable {
        public var clocks: [ResponseClock]
        public var resolves: Bool
    }

    /// Checks `milestone` against the crisis and the milestones recorded before it.
    ///
    /// - Throws: `FieldError` naming the field at fault, in words that say what to do instead.
    public static func apply(
        _ milestone: Milestone, to crisis: CrisisSnapshot, recorded: [Milestone.Kind], now: Date
    ) throws(FieldError) -> Effect {
        let reference = crisis.reference
        guard !crisis.resolved else {
            throw FieldError(field: "milestone", "\(reference) is resolved: nothing more can be recorded")
        }
        guard milestone.at <= now else {
            throw FieldError(field: "at", "is in the future: record what has happened, when it happened")
        }
        guard milestone.at >= crisis.receivedAt else {
            throw FieldError(field: "at", "is before \(reference) was received")
        }
        var clocks = crisis.clocks
        func clock(_ kind: ClockKind) -> Int? { clocks.firstIndex { $0.kind == kind } }

        /// Meets a running clock at the milestone's time, or records it breached when that time
        /// was past the deadline. A clock that already ended keeps its outcome.
        func meet(_ kind: ClockKind, milestone: Milestone) {
            guard let index = clock(kind), clocks[index].isRunning else { return }
            let late = milestone.at > clocks[index].dueAt
            clocks[index].outcome = late ? .breached : .met
            clocks[index].endedAt = late ? clocks[index].dueAt : milestone.at
            clocks[index].endedBy = milestone.by
        }

        switch milestone.kind {
        case .contacted:
            guard !recorded.contains(.contacted) else {
                throw FieldError(field: "milestone", "contacted is already recorded for \(reference)")
            }
            meet(.contact, milestone: milestone)

        case .dispatched:
            guard let to = milestone.to, !to.isEmpty else {
                throw FieldError(field: "to", "is required: the crisis psychologist sent to the site")
            }
            if let index = clock(.onsite), clocks[index].outcome == .waived {
                throw FieldError(
                    field: "milestone", "the on-site clock of \(reference) was waived: no one is expected on site")
            }

        case .onsite:
            guard recorded.contains(.dispatched) else {
                throw FieldError(field: "milestone", "record dispatched --to PERSON for \(reference) before onsite")
            }
            guard !recorded.contains(.onsite) else {
                throw FieldError(field: "milestone", "onsite is already recorded for \(reference)")
            }
            if let index = clock(.onsite), clocks[index].outcome == .waived {
                throw FieldError(field: "milestone", "the on-site clock of \(reference) was waived")
            }
            meet(.onsite, milestone: milestone)

        case .waiveOnsite:
            guard let reason = milestone.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                throw FieldError(field: "reason", "is required: why no crisis psychologist is needed on site")
            }
            guard let index = clock(.onsite), clocks[index].isRunning else {
                let outcome = clock(.onsite).flatMap { clocks[$0].outcome?.rawValue } ?? "not running"
                throw FieldError(field: "milestone", "the on-site clock of \(reference) has already ended (\(outcome))")
            }
            // A waiver after the deadline does not hide the breach the engine would have recorded.
            let late = milestone.at > clocks[index].dueAt
            clocks[index].outcome = late ? .breached : .waived
            clocks[index].endedAt = late ? clocks[index].dueAt : milestone.at
            clocks[index].endedBy = milestone.by
            clocks[index].reason = reason

        case .resolved:
            if crisis.acknowledgedAt == nil {
                throw FieldError(field: "milestone", "acknowledge \(reference) before resolving it")
            }
            if let running = clocks.first(where: { $0.isRunning && $0.kind != .ack }) {
                let hint = running.kind == .contact ? "record contacted" : "record onsite, or waive-onsite --reason"
                throw FieldError(
                    field: "milestone",
                    "the \(running.kind.label) clock of \(reference) is still running: \(hint) first")
            }
        }
        return Effect(clocks: clocks, resolves: milestone.kind == .resolved)
    }
}
