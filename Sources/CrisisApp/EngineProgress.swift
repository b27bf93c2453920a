import Foundation
import Synchronization

/// When the escalation engine's loop last made progress, on the monotonic clock (a wall-clock
/// step must not look like a stall), and whether its first pass has ended: what the health
/// monitor reads to tell a working engine from a stalled one.
public final class EngineProgress: Sendable {
    private struct State {
        var last: ContinuousClock.Instant?
        var firstPassEnded = false
        var changes = 0
    }

    private let state = Mutex(State())
    private let firstPass: @Sendable () -> Void

    /// - Parameter firstPass: called once, when the first pass has ended: overdue deadlines are
    ///   loaded and acted on.
    public init(firstPass: @escaping @Sendable () -> Void = {}) {
        self.firstPass = firstPass
    }

    /// The loop started a pass or committed a batch.
    func mark() {
        state.withLock { $0.last = .now }
    }

    /// A batch changed crises (an escalation step, a warning, a breach): what `STATUS=` shows.
    func changedCrises() {
        state.withLock { $0.changes += 1 }
    }

    /// How many batches have changed crises: the health monitor refreshes `STATUS=` when it moves.
    public var changes: Int { state.withLock { $0.changes } }

    /// The loop ended a pass.
    func passEnded() {
        let first = state.withLock { state in
            state.last = .now
            defer { state.firstPassEnded = true }
            return !state.firstPassEnded
        }
        if first { firstPass() }
    }

    /// How long the loop has made no progress; nil until its first pass has ended.
    public var silentFor: TimeInterval? {
        state.withLock { state in
            guard state.firstPassEnded, let last = state.last else { return nil }
            let elapsed = ContinuousClock.now - last
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}
