import Dispatch
import Foundation

/// One wait on the wall clock for `SystemWallClock.sleep(until:)`: a `DispatchSourceTimer` with a
/// wall-clock deadline that resumes its continuation exactly once, when it fires or is cancelled,
/// whichever `queue` sees first.
///
/// Unchecked: every stored property is read and written on `queue` only.
final class WallTimer: @unchecked Sendable {
    private static let queue = DispatchQueue(label: "crisisd.wall-timer")
    private var continuation: CheckedContinuation<Void, any Error>?
    private var source: (any DispatchSourceTimer)?
    private var cancelled = false

    func start(at instant: Date, _ continuation: CheckedContinuation<Void, any Error>) {
        Self.queue.sync {
            guard !cancelled else {
                continuation.resume(throwing: CancellationError())
                return
            }
            self.continuation = continuation
            let source = DispatchSource.makeTimerSource(queue: Self.queue)
            source.schedule(wallDeadline: Self.wallTime(instant), leeway: .nanoseconds(0))
            source.setEventHandler { [self] in finish(with: nil) }
            source.resume()
            self.source = source
        }
    }

    /// Called from a task's cancellation handler, which holds that task's status lock: it must
    /// not wait for `queue`, where a firing timer may be resuming that same task and waiting for
    /// the lock (a deadlock seen in a crash-loop test). So it leaves the work to `queue`.
    func cancel() {
        Self.queue.async { [self] in
            cancelled = true
            finish(with: CancellationError())
        }
    }

    /// On `queue`.
    private func finish(with error: (any Error)?) {
        source?.cancel()
        source = nil
        if let error { continuation?.resume(throwing: error) } else { continuation?.resume() }
        continuation = nil
    }

    static func wallTime(_ instant: Date) -> DispatchWallTime {
        let seconds = instant.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        return DispatchWallTime(timespec: timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1_000_000_000)))
    }
}
