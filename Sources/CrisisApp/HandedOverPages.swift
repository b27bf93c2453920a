import CrisisStorage
import Synchronization

/// Claimed pages a store's transactions hand over, until the sender's loop takes them.
final class HandedOverPages: Sendable {
    /// A page handed over, with its request when the hand-over started it.
    struct Page: Sendable {
        let page: OutboundPage
        let started: StartedDelivery?
    }

    private let pages = Mutex<[Page]>([])

    func put(_ more: [Page]) { pages.withLock { $0.append(contentsOf: more) } }

    /// The pages handed over since the last take, in order.
    func takeAll() -> [Page] {
        pages.withLock { pages in
            defer { pages.removeAll(keepingCapacity: true) }
            return pages
        }
    }
}
