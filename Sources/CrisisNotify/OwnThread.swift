import Dispatch
import Foundation

/// Runs blocking work (a libcurl transfer) on a thread of its own, off Swift's cooperative pool:
/// one that is idle (`ParkedThreads`), or a new one.
///
/// Foundation's `Thread` ignores a failed `pthread_create`: its block never runs and whoever awaits
/// it waits forever (a page that never goes out, a stop that never ends). Here a refused thread
/// (a pids limit reached, memory short) is seen, and the work runs on a dispatch queue instead:
/// slower when many wait, but it runs.
public enum OwnThread {
    /// Stack of each thread: a transfer (curl with OpenSSL) needs little, and a burst of them should
    /// not cost 8 MiB each.
    static let stackSize = 2 * 1024 * 1024

    /// The name each thread shows in `top -H` (at most 15 bytes): where pages are sent.
    static let threadName = "page-transfer"

    /// Enough idle threads for the sender's parallel pages and a few more transfers; each ends
    /// after a minute without work.
    static let threads = ParkedThreads(capacity: 48, idleFor: .seconds(60), starter: start)

    public static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            launch { continuation.resume(returning: work()) }
        }
    }

    /// Starts `job` on a thread of its own and returns at once, from any thread.
    public static func launch(_ job: @escaping @Sendable () -> Void) {
        if !threads.run(job) {
            DispatchQueue.global().async(execute: job)
        }
    }

    /// Starts `job` on a new detached thread; false when the system refuses one.
    static func start(_ job: @escaping @Sendable () -> Void) -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, stackSize)
        let box = Unmanaged.passRetained(
            JobBox {
                nameThisThread()
                job()
            })
        var thread = pthread_t()
        let started = pthread_create(
            &thread, &attributes,
            { context in
                let box = Unmanaged<JobBox>.fromOpaque(context!).takeRetainedValue()
                box.job()
                return nil
            }, box.toOpaque())
        if started != 0 {
            box.release()
            return false
        }
        return true
    }

    /// Names the calling thread for `top -H` and `/proc/PID/task/*/comm`; otherwise it shows its
    /// creator's name (a dispatch queue's).
    private static func nameThisThread() {
        Thread.current.name = threadName
    }
}

private final class JobBox: Sendable {
    let job: @Sendable () -> Void
    init(_ job: @escaping @Sendable () -> Void) { self.job = job }
}
