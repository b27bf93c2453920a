import CrisisApp
import Foundation
import Synchronization

/// A wall clock that moves only when a test says so: `advance(by:)` sets the time and ends every
/// wait whose instant has come, so a scenario of hours runs in milliseconds and never depends on
/// the day the suite runs.
public final class ManualClock: WallClock {
    private struct Sleeper {
        var id: Int
        var instant: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    public init(now: Date) {
        state = Mutex(State(now: now))
    }

    public var now: Date { state.withLock { $0.now } }

    /// How many waits are pending: a test can tell that the app has gone back to sleep.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until instant: Date) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if instant <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, instant: instant, continuation: continuation))
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let cancelled = state.withLock { state in
                state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) }
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward and wakes every wait that is due by then.
    public func advance(by seconds: TimeInterval) {
        advance(to: now + seconds)
    }

    /// Sets the clock (forward or back, as a stepped system clock would) and wakes what is due.
    public func advance(to instant: Date) {
        let due = state.withLock { state in
            state.now = instant
            let due = state.sleepers.filter { $0.instant <= instant }
            state.sleepers.removeAll { $0.instant <= instant }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
