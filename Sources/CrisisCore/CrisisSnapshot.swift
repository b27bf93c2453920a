import Foundation

/// What the escalator needs to know about one crisis: read from the store inside the same
/// transaction that will record the escalator's decision.
public struct CrisisSnapshot: Sendable, Equatable {
    public var reference: CrisisReference
    public var receivedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var resolved: Bool
    /// Whether the crisis concerns a group: some clocks run for individuals only.
    public var group: Bool
    public var assigned: [String]
    public var progress: EscalationProgress
    public var clocks: [ResponseClock]

    public init(
        reference: CrisisReference, receivedAt: Date, acknowledgedAt: Date? = nil, acknowledgedBy: String? = nil,
        resolved: Bool = false, group: Bool = false, assigned: [String] = [], progress: EscalationProgress,
        clocks: [ResponseClock]
    ) {
        self.reference = reference
        self.receivedAt = receivedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.resolved = resolved
        self.group = group
        self.assigned = assigned
        self.progress = progress
        self.clocks = clocks
    }
}
