import Foundation

/// How a worker with no polling loop is woken: at once by an event (`wake()`), or at a wall-clock
/// instant (`wake(at:)`). Wakes coalesce, so a burst of events costs one pass of the worker.
public final class Wakeups: Sendable {
    public let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let alarm: WallClockAlarm

    public init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.stream = stream
        self.continuation = continuation
        alarm = WallClockAlarm { continuation.yield() }
    }

    /// Wakes the worker now. Safe from any thread.
    public func wake() {
        continuation.yield()
    }

    /// Wakes the worker at `instant` (replacing the instant set before); nil sets none.
    public func wake(at instant: Date?) {
        alarm.schedule(at: instant)
    }
}
