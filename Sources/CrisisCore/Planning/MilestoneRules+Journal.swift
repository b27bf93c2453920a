import Foundation

extension MilestoneRules {
    /// The journal of a milestone: the milestone, each clock it ended or started, and the resolution.
    /// The free-text outcome of a resolution is not journaled: it stays in the erasable table.
    public static func journal(
        _ milestone: Milestone, _ before: CrisisSnapshot, _ after: CrisisSnapshot, actor: String, at now: Date
    ) -> [JournalEntry] {
        var data = ["milestone": milestone.kind.rawValue, "at": milestone.at.formatted(.iso8601), "by": milestone.by]
        if let to = milestone.to { data["to"] = to }
        if let clock = milestone.waives {
            data["clock"] = clock.rawValue
            if let reason = milestone.reason { data["reason"] = reason }
        }
        var entries = [
            JournalEntry(at: now, reference: before.reference, kind: .milestoneRecorded, actor: actor, data: data)
        ]
        for clock in after.clocks
        where clock.outcome != nil && before.clocks.first(where: { $0.kind == clock.kind })?.outcome == nil {
            var ended = [
                "clock": clock.kind.rawValue, "outcome": clock.outcome!.rawValue,
                "due_at": clock.dueAt.formatted(.iso8601),
                "ended_at": (clock.endedAt ?? now).formatted(.iso8601), "by": milestone.by,
            ]
            if let reason = clock.reason { ended["reason"] = reason }
            entries.append(
                JournalEntry(at: now, reference: before.reference, kind: .clockEnded, actor: actor, data: ended))
        }
        for clock in after.clocks where !before.clocks.contains(where: { $0.kind == clock.kind }) {
            entries.append(
                JournalEntry(
                    at: now, reference: before.reference, kind: .clockStarted, actor: actor,
                    data: ["clock": clock.kind.rawValue, "due_at": clock.dueAt.formatted(.iso8601)]))
        }
        if after.resolved && !before.resolved {
            entries.append(
                JournalEntry(
                    at: now, reference: before.reference, kind: .crisisResolved, actor: actor,
                    data: ["by": milestone.by]))
        }
        return entries
    }
}
