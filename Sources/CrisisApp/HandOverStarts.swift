import Synchronization

/// Whether a hand-over may start a page's request itself: only while one of the sender's places
/// is free and few such requests are out. Counted up at each start, down when its reply is in,
/// and told by the sender how many places its own requests hold.
final class HandOverStarts: Sendable {
    /// Requests started at hand-over out at once at most.
    let limit: Int
    /// The sender's places.
    let places: Int
    private let counts = Mutex((started: 0, sending: 0, closed: false))

    init(limit: Int, places: Int) {
        self.limit = limit
        self.places = places
    }

    /// Counts one in, unless `limit` are out, every place is taken or the sender has stopped:
    /// then false.
    func take() -> Bool {
        counts.withLock { counts in
            guard !counts.closed, counts.started < limit, counts.started + counts.sending < places else {
                return false
            }
            counts.started += 1
            return true
        }
    }

    func finished() { counts.withLock { $0.started -= 1 } }

    /// The sender's loop has stopped: no hand-over starts a request whose outcome it would not
    /// record (the page goes at its retry instant after the restart, as the others left).
    func close() { counts.withLock { $0.closed = true } }

    /// The places the sender's own requests hold now.
    func sending(_ count: Int) { counts.withLock { $0.sending = count } }
}
