import CrisisCore
import CrisisNotify
import Synchronization

/// A page's request started at its hand-over, on a transfer thread, before the sender's loop
/// took the page: the loop's delivery awaits its outcome instead of sending it again.
final class StartedDelivery: Sendable {
    private let state = Mutex(State.running(waiter: nil))

    private enum State {
        case running(waiter: CheckedContinuation<DeliveryOutcome, Never>?)
        case finished(DeliveryOutcome)
    }

    /// Starts `message` through `notifier` on a thread of its own; `then` runs on that thread
    /// once the receiver has answered, before the outcome is given to whoever awaits it.
    init(
        _ message: @escaping @Sendable () -> PageMessage, via notifier: any BlockingNotifier,
        then: @escaping @Sendable () -> Void
    ) {
        OwnThread.launch { [self] in
            let outcome = notifier.deliverBlocking(message())
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
