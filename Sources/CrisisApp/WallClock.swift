import Foundation

/// The daemon's one way to read the time and to wait for an instant, so that tests can hand it
/// a clock of their own (`ManualClock` in `CrisisTesting`) and run the whole app in milliseconds.
public protocol WallClock: Sendable {
    var now: Date { get }

    /// Returns once the wall clock reads `instant` or later (at once if it already does).
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    func sleep(until instant: Date) async throws
}

/// The machine's clock. A wait is a `DispatchSourceTimer` on a `DispatchWallTime`, not a monotonic
/// clock, so a clock step or a suspended machine still ends it at the contractual instant, not
/// "N seconds after we went to sleep".
public struct SystemWallClock: WallClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until instant: Date) async throws {
        let timer = WallTimer()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                timer.start(at: instant, continuation)
            }
        } onCancel: {
            timer.cancel()
        }
    }
}
