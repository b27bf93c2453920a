/// What happened when a notifier tried to deliver one page.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(detail: String)
    /// `retryable` is true for failures worth another try: 5xx, timeouts, refused connections.
    case failed(retryable: Bool, reason: String)
}
