/// Where a page stands in the outbox.
public enum PageStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its next attempt.
    case pending
    /// Waiting for the crisis's acknowledgement, which makes it pending: the notice to the
    /// requester that someone has their case.
    case held
    case delivered
    /// Given up: its attempts are spent, or its failure cannot pass.
    case failed
    /// Stopped before it went out (the crisis was acknowledged).
    case cancelled
}
