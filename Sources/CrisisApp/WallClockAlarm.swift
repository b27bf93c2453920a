import Dispatch
import Foundation

/// Fires a handler at an absolute wall-clock instant.
///
/// The timer is a `DispatchSourceTimer` on a `DispatchWallTime`, not a monotonic clock, so a clock
/// step or a suspended machine still fires at the contractual instant, not "N seconds after we
/// went to sleep". Scheduling again replaces the previous instant; nil disarms.
public final class WallClockAlarm: @unchecked Sendable {
    private let queue = DispatchQueue(label: "crisisd.alarm")
    private var timer: (any DispatchSourceTimer)?
    private let handler: @Sendable () -> Void

    public init(handler: @escaping @Sendable () -> Void) {
        self.handler = handler
    }

    public func schedule(at instant: Date?) {
        queue.sync {
            timer?.cancel()
            timer = nil
            guard let instant else { return }
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(wallDeadline: Self.wallTime(instant), leeway: .milliseconds(5))
            source.setEventHandler { [handler] in handler() }
            source.resume()
            timer = source
        }
    }

    static func wallTime(_ instant: Date) -> DispatchWallTime {
        let seconds = instant.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        return DispatchWallTime(timespec: timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1_000_000_000)))
    }

    deinit {
        timer?.cancel()
    }
}
