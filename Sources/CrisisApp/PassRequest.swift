import Synchronization

/// A request for a pass that any thread may raise and the loop takes, once.
final class PassRequest: Sendable {
    private let asked = Mutex(true)

    func raise() { asked.withLock { $0 = true } }

    /// Whether a pass was asked for since the last take.
    func take() -> Bool {
        asked.withLock { asked in
            defer { asked = false }
            return asked
        }
    }
}
