/// Where a page stands in the outbox.
public enum PageStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its next attempt.
    case pending
    case delivered
    /// Given up: its attempts are spent, or its failure cannot pass.
    case failed
    /// Stopped before it went out (the crisis was acknowledged).
    case cancelled
}
