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
    private let alarm = Mutex<(set: Alarm?, covered: Date?)>((nil, nil))
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

    /// The alarm set, until it goes off.
    private struct Alarm {
        let instant: Date
        let task: Task<Void, Never>
        let serial: UInt64
    }
    private let serials = Atomic<UInt64>(0)

    deinit {
        alarm.withLock { $0.set?.task.cancel() }
    }

    /// Wakes the worker now. Safe from any thread.
    public func wake() {
        continuation.yield()
    }

    /// Wakes the worker at `instant` (replacing the instant set before); nil sets none.
    ///
    /// The same instant as the alarm already set leaves that alarm as it is: a worker usually
    /// sets the same one after each pass, and a new timer for it each time costs more than the pass.
    public func wake(at instant: Date?) {
        alarm.withLock { state in
            // Never later than an instant `alarmCovers` vouched for since `forgetCovered`.
            let instant = [instant, state.covered].compactMap { $0 }.min()
            if let instant, state.set?.instant == instant { return }
            state.set?.task.cancel()
            state.set = instant.map { instant in
                let serial = serials.add(1, ordering: .relaxed).newValue
                let task = Task { [clock, continuation, onAlarm, weak self] in
                    guard (try? await clock.sleep(until: instant)) != nil else { return }
                    // Gone off: the same instant set again is a new alarm.
                    self?.alarm.withLock { state in
                        if state.set?.serial == serial { state.set = nil }
                    }
                    onAlarm?()
                    continuation.yield()
                }
                return Alarm(instant: instant, task: task, serial: serial)
            }
        }
    }

    /// Whether the alarm set goes off by `instant`. When it does, no alarm set from now on is later
    /// than `instant` until `forgetCovered()`: the worker may be in a pass that read its deadlines
    /// before the one at `instant` existed, and would set its next alarm past it.
    public func alarmCovers(_ instant: Date) -> Bool {
        alarm.withLock { state in
            guard let set = state.set, set.instant <= instant else { return false }
            state.covered = min(state.covered ?? instant, instant)
            return true
        }
    }

    /// The worker is about to read its deadlines afresh: what `alarmCovers` vouched for so far is
    /// among them.
    public func forgetCovered() {
        alarm.withLock { $0.covered = nil }
    }
}
