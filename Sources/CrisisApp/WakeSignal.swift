import Foundation
import Synchronization

/// One signal and one alarm that wake a worker with no polling loop: the signal at once, raised
/// by any event (`wake()`); the alarm at a wall-clock instant (`wake(at:)`, a wait on the clock
/// port; setting it replaces the one set before). Wakes coalesce, so a burst of events costs one
/// pass of the worker.
public final class WakeSignal: Sendable {
    public let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let clock: any WallClock
    private let alarm = Mutex<Task<Void, Never>?>(nil)
    private let onAlarm: (@Sendable () -> Void)?

    /// - Parameter onAlarm: called when the alarm goes off, before the worker wakes: it tells a
    ///   deadline's wake from any other.
    public init(clock: any WallClock, onAlarm: (@Sendable () -> Void)? = nil) {
        self.onAlarm = onAlarm
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.stream = stream
        self.continuation = continuation
        self.clock = clock
    }

    deinit {
        alarm.withLock { $0?.cancel() }
    }

    /// Wakes the worker now. Safe from any thread.
    public func wake() {
        continuation.yield()
    }

    /// Wakes the worker at `instant` (replacing the instant set before); nil sets none.
    public func wake(at instant: Date?) {
        alarm.withLock { alarm in
            alarm?.cancel()
            alarm = instant.map { instant in
                Task { [clock, continuation, onAlarm] in
                    guard (try? await clock.sleep(until: instant)) != nil else { return }
                    onAlarm?()
                    continuation.yield()
                }
            }
        }
    }
}
