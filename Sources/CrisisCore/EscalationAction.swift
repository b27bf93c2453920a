import Foundation

/// One thing the escalator decided must happen now. The store records each in the same
/// transaction as the new state, so it happens once even across crashes.
public enum EscalationAction: Sendable, Equatable {
    /// Page the next step's targets. `number` counts steps across passes, from 1.
    case page(number: Int, targets: [EscalationTarget], dueAt: Date)
    /// Every step went unacknowledged: page the `exhausted` targets.
    case exhausted(targets: [EscalationTarget], dueAt: Date)
    /// `warn_before` ahead of a contract deadline: warn the acknowledging psychologist and the breach targets.
    case warn(ClockKind, dueAt: Date, warnAt: Date)
    /// A deadline passed with the clock still running: it is breached, at its deadline.
    case breach(ClockKind, dueAt: Date)
}
