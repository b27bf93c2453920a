import Foundation

/// What a milestone does to a crisis's clocks, and when it is out of order. Which clocks a
/// milestone starts, meets or waives comes from the clock rules; the order of the response's
/// steps (dispatched before onsite, each once) is the milestones' own.
public enum MilestoneRules {
    /// The clock changes and closure a milestone brings.
    public struct Effect: Sendable, Equatable {
        public var clocks: [ResponseClock]
        public var resolves: Bool
    }

    /// Checks `milestone` against the crisis and the milestones recorded before it.
    ///
    /// - Parameters:
    ///   - rules: the clock rules in force: which clocks the milestone starts and which may be waived by whom.
    ///   - recorderRoles: the roles of the person the milestone is recorded by (`by`).
    /// - Throws: `FieldError` naming the field at fault, in words that say what to do instead.
    public static func apply(
        _ milestone: Milestone, to crisis: CrisisSnapshot, recorded: [Milestone.Kind], rules: ClockPolicy,
        recorderRoles: Set<String> = [], now: Date
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
        /// A waived clock that waited for `kind`: that step is not expected any more.
        func waived(waitingFor kind: Milestone.Kind) -> ResponseClock? {
            clocks.first { $0.stop == .milestone(kind) && $0.outcome == .waived }
        }

        switch milestone.kind {
        case .contacted, .onsite, .leaderInformed:
            if milestone.kind == .onsite, !recorded.contains(.dispatched) {
                throw FieldError(field: "milestone", "record dispatched --to PERSON for \(reference) before onsite")
            }
            guard !recorded.contains(milestone.kind) else {
                throw FieldError(field: "milestone", "\(milestone.kind.rawValue) is already recorded for \(reference)")
            }
            if let clock = waived(waitingFor: milestone.kind) {
                throw FieldError(field: "milestone", "the \(clock.label) clock of \(reference) was waived")
            }

        case .dispatched:
            guard let to = milestone.to, !to.isEmpty else {
                throw FieldError(field: "to", "is required: the crisis psychologist sent to the site")
            }
            if let next = milestone.kind.leadsTo, let clock = waived(waitingFor: next) {
                throw FieldError(
                    field: "milestone",
                    "the \(clock.label) clock of \(reference) was waived: no one is expected on site")
            }

        case .waive, .waiveOnsite:
            try waive(milestone, &clocks, crisis: crisis, rules: rules, recorderRoles: recorderRoles)
            return Effect(clocks: clocks, resolves: false)

        case .resolved:
            if crisis.acknowledgedAt == nil {
                throw FieldError(field: "milestone", "acknowledge \(reference) before resolving it")
            }
            if let running = clocks.first(where: { $0.isRunning && $0.stop != .milestone(.resolved) }) {
                var hint = "record \(running.stop)"
                if case .acknowledgement = running.stop { hint = "acknowledge it" }
                if rules[running.kind]?.waivableBy != nil {
                    hint += ", or \(Milestone.waiver(of: running.kind)) --reason"
                }
                throw FieldError(
                    field: "milestone", "the \(running.label) clock of \(reference) is still running: \(hint) first")
            }
        }

        // Meets each running clock that waited for this milestone, at the milestone's time, or
        // records it breached when that time was past the deadline. An ended clock keeps its outcome.
        for index in clocks.indices where clocks[index].isRunning && clocks[index].stop == .milestone(milestone.kind) {
            let late = milestone.at > clocks[index].dueAt
            clocks[index].outcome = late ? .breached : .met
            clocks[index].endedAt = late ? clocks[index].dueAt : milestone.at
            clocks[index].endedBy = milestone.by
        }
        if milestone.kind != .resolved {
            var started = crisis
            started.clocks = clocks
            clocks += rules.clocks(startedBy: milestone, crisis: started, recorded: recorded)
        }
        return Effect(clocks: clocks, resolves: milestone.kind == .resolved)
    }

    /// Ends the clock a waiver names, where its rule allows and the recorder may. A waiver after
    /// the deadline does not hide the breach the engine would have recorded.
    private static func waive(
        _ milestone: Milestone, _ clocks: inout [ResponseClock], crisis: CrisisSnapshot, rules: ClockPolicy,
        recorderRoles: Set<String>
    ) throws(FieldError) {
        let reference = crisis.reference
        guard let name = milestone.waives else {
            throw FieldError(
                field: "clock",
                "is required: the clock to waive (\(crisis.clocks.map(\.kind.rawValue).joined(separator: ", ")))")
        }
        guard let reason = milestone.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw FieldError(
                field: "reason", "is required: why the \(rules[name]?.label ?? name.rawValue) clock is not needed")
        }
        guard let index = clocks.firstIndex(where: { $0.kind == name }) else {
            if let rule = rules[name] {
                throw FieldError(
                    field: "milestone", "the \(rule.label) clock of \(reference) has already ended (not running)")
            }
            throw FieldError(field: "clock", "\(reference) has no clock \"\(name)\"")
        }
        let label = clocks[index].label
        guard clocks[index].isRunning else {
            let outcome = clocks[index].outcome?.rawValue ?? "not running"
            throw FieldError(field: "milestone", "the \(label) clock of \(reference) has already ended (\(outcome))")
        }
        guard let roles = rules[name]?.waivableBy else {
            throw FieldError(field: "clock", "the \(label) clock may not be waived")
        }
        if !roles.isEmpty, recorderRoles.isDisjoint(with: roles) {
            throw FieldError(
                field: "by",
                "only a person with the role \(roles.joined(separator: " or ")) may waive the \(label) clock (--by PERSON)"
            )
        }
        let late = milestone.at > clocks[index].dueAt
        clocks[index].outcome = late ? .breached : .waived
        clocks[index].endedAt = late ? clocks[index].dueAt : milestone.at
        clocks[index].endedBy = milestone.by
        clocks[index].reason = reason
    }
}
