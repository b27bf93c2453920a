import Foundation

/// Where a crisis is in its escalation policy. Stored with the crisis, so a restart carries on
/// from the same step at the same absolute instant.
public struct EscalationProgress: Sendable, Equatable, Codable {
    /// The index of the step paged last.
    public var step: Int
    /// The pass through the policy, from 0.
    public var round: Int
    /// When the next step is due, if the crisis is still unacknowledged and steps remain.
    public var nextAt: Date?
    /// Every step of every pass went unacknowledged and the `exhausted` targets were paged.
    public var exhausted: Bool

    public init(step: Int = 0, round: Int = 0, nextAt: Date?, exhausted: Bool = false) {
        self.step = step
        self.round = round
        self.nextAt = nextAt
        self.exhausted = exhausted
    }

    enum CodingKeys: String, CodingKey {
        case step, round, exhausted
        case nextAt = "next_at"
    }

    /// The progress of a crisis just received: the first step is paged at intake.
    public static func start(policy: EscalationPolicy, at receivedAt: Date) -> EscalationProgress {
        EscalationProgress(nextAt: policy.steps.first.map { receivedAt + $0.wait })
    }
}
