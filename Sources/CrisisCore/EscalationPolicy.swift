import Foundation

/// Whom to page, in what order, while nobody acknowledges (`[escalation]` in the config).
public struct EscalationPolicy: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var targets: [EscalationTarget]
        /// How long this step waits for an acknowledgement before the next one.
        public var wait: TimeInterval

        public init(targets: [EscalationTarget], wait: TimeInterval) {
            self.targets = targets
            self.wait = wait
        }
    }

    public var steps: [Step]
    /// How many more times the whole list runs after the first pass.
    public var repeats: Int
    /// Paged with warnings and breaches of the contact and on-site clocks.
    public var breachTargets: [EscalationTarget]
    /// Paged when every step of every pass went unacknowledged.
    public var exhaustedTargets: [EscalationTarget]

    public init(
        steps: [Step], repeats: Int = 0, breachTargets: [EscalationTarget] = [],
        exhaustedTargets: [EscalationTarget] = []
    ) {
        self.steps = steps
        self.repeats = repeats
        self.breachTargets = breachTargets
        self.exhaustedTargets = exhaustedTargets
    }

    /// The step number pages and the journal show: 1 for the first page, counting on across passes.
    public func number(step: Int, round: Int) -> Int { round * steps.count + step + 1 }
}
