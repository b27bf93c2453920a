import CrisisCore
import CrisisNotify
import Synchronization

/// A page's request started at its hand-over, before the sender's loop took the page: the
/// loop's delivery awaits its outcome instead of sending it again.
final class StartedDelivery: Sendable {
    private let state = Mutex(State.running(waiter: nil))

    private enum State {
        case running(waiter: CheckedContinuation<DeliveryOutcome, Never>?)
        case finished(DeliveryOutcome)
    }

    /// Starts `message` through `notifier` on the calling thread; `then` runs on a transfer
    /// thread once the receiver has answered, before the outcome is given to whoever awaits it.
    init(_ message: PageMessage, via notifier: any StartableNotifier, then: @escaping @Sendable () -> Void) {
        notifier.start(message) { [self] outcome in
            then()
            finish(outcome)
        }
    }

    private func finish(_ outcome: DeliveryOutcome) {
        let waiter = state.withLock { state -> CheckedContinuation<DeliveryOutcome, Never>? in
            defer { state = .finished(outcome) }
            if case .running(let waiter) = state { return waiter }
            return nil
        }
        waiter?.resume(returning: outcome)
    }

    /// The receiver's answer, once it has come.
    func outcome() async -> DeliveryOutcome {
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> DeliveryOutcome? in
                switch state {
                case .finished(let outcome): return outcome
                case .running:
                    state = .running(waiter: continuation)
                    return nil
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }
}
