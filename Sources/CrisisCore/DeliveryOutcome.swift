import Foundation

/// What happened when a notifier tried to deliver one page.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(detail: String)
    /// `retryable` is true for failures worth another try: 5xx, 429, timeouts, refused
    /// connections. `retryAfter` is how long the receiver asked to be left alone (429, 503).
    case failed(retryable: Bool, reason: String, retryAfter: TimeInterval? = nil)
}
