import CrisisCore

/// A channel whose delivery is one blocking request (libcurl's). The sender may start it on a
/// transfer thread of its own straight from the store's transaction, so that no hop through
/// Swift's pool stands between a crisis's transaction and its page's request.
public protocol BlockingNotifier: Notifier {
    /// Delivers on the calling thread, blocking it until the receiver answers or the timeout.
    func deliverBlocking(_ message: PageMessage) -> DeliveryOutcome
}
