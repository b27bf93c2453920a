import Foundation

/// The acknowledgement rule, pure: what "I have it" changes in a crisis. Like `MilestoneRules`,
/// the store only applies what this decides.
public enum AcknowledgementRules {
    /// The pages an acknowledgement stops while they still wait to go out: the crisis's own
    /// pages. Warnings and breaches of the contract clocks, which run on, still go.
    public static let stoppedPages: Set<PageMessage.Kind> = [.crisis]
    /// The pages held until an acknowledgement, due once it comes: the requester's notice that
    /// someone has their case.
    public static let releasedPages: Set<PageMessage.Kind> = [.ackNotice]

    public struct Effect: Sendable, Equatable {
        /// The crisis acknowledged: escalation stopped, each clock an acknowledgement stops ended.
        public var snapshot: CrisisSnapshot
        /// The acknowledgement and each clock it ended, in that order.
        public var journal: [JournalEntry]
    }

    /// The first acknowledgement stands: nil when the crisis is already acknowledged. A clock it
    /// stops is met when in time; a late one is breached at its deadline, as it was.
    public static func apply(_ crisis: CrisisSnapshot, by person: String, actor: String, at now: Date) -> Effect? {
        guard crisis.acknowledgedAt == nil else { return nil }
        var after = crisis
        after.acknowledgedAt = now
        after.acknowledgedBy = person
        after.progress.nextAt = nil
        var journal = [
            JournalEntry(
                at: now, reference: crisis.reference, kind: .crisisAcknowledged, actor: actor, data: ["by": person])
        ]
        for index in after.clocks.indices
        where after.clocks[index].stop == .acknowledgement && after.clocks[index].outcome == nil {
            var clock = after.clocks[index]
            let outcome: ClockOutcome = now <= clock.dueAt ? .met : .breached
            clock.outcome = outcome
            clock.endedAt = outcome == .met ? now : clock.dueAt
            clock.endedBy = person
            after.clocks[index] = clock
            journal.append(
                JournalEntry(
                    at: now, reference: crisis.reference, kind: .clockEnded, actor: actor,
                    data: [
                        "clock": clock.kind.rawValue, "outcome": outcome.rawValue,
                        "due_at": clock.dueAt.formatted(.iso8601), "ended_at": clock.endedAt!.formatted(.iso8601),
                    ]))
        }
        return Effect(snapshot: after, journal: journal)
    }
}
