import CrisisCore

/// A channel whose delivery is one libcurl request that may be started from any thread without
/// blocking it. The sender starts it straight from the store's transaction: on a connection kept
/// from the last page to that receiver, the request goes out from that thread, with no hand-over
/// to another before it.
public protocol StartableNotifier: Notifier {
    /// Starts delivering `message` on the calling thread, as far as it goes without waiting for
    /// the receiver; `finished` gets the outcome on a transfer thread.
    func start(_ message: PageMessage, finished: @escaping @Sendable (DeliveryOutcome) -> Void)
}
