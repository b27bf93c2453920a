import CrisisStorage
import Synchronization

/// Claimed pages a store's writer thread hands over, until the sender's loop takes them.
final class HandedOverPages: Sendable {
    private let pages = Mutex<[OutboundPage]>([])

    func put(_ more: [OutboundPage]) { pages.withLock { $0.append(contentsOf: more) } }

    /// The pages handed over since the last take, in order.
    func takeAll() -> [OutboundPage] {
        pages.withLock { pages in
            defer { pages.removeAll(keepingCapacity: true) }
            return pages
        }
    }
}
