import Dispatch
import Foundation
import Synchronization

/// Threads that finished their work and wait a while for more, so that a page's transfer does not
/// pay for a thread's start and end (a `clone`, a stack mapped and unmapped, the other CPUs told
/// of it): at a thousand pages a second that was a tenth of a millisecond each, on the page's way.
///
/// Only an idle thread takes work: a job never waits behind another, as it would in a queue, so a
/// transfer that hangs until its timeout holds back no other page.
final class ParkedThreads: Sendable {
    /// Idle threads kept at most; past it, a thread that finishes ends.
    let capacity: Int
    /// How long an idle thread waits for work before it ends, so a quiet daemon keeps none.
    let idleFor: Duration
    private let starter: @Sendable (_ body: @escaping @Sendable () -> Void) -> Bool
    private let idle = Mutex<[Parked]>([])

    /// - Parameter starter: starts `body` on a new thread; false when the system refuses one.
    init(
        capacity: Int, idleFor: Duration,
        starter: @escaping @Sendable (_ body: @escaping @Sendable () -> Void) -> Bool
    ) {
        self.capacity = capacity
        self.idleFor = idleFor
        self.starter = starter
    }

    /// Runs `job` on an idle thread, or on a new one; false when there was no idle thread and the
    /// system refused a new one (`job` has not run then).
    func run(_ job: @escaping @Sendable () -> Void) -> Bool {
        if let parked = idle.withLock({ $0.popLast() }) {
            parked.hand(job)
            return true
        }
        return starter { [self] in work(first: job) }
    }

    /// Threads waiting for work now. For tests.
    var idleCount: Int { idle.withLock { $0.count } }

    /// A thread's life: its first job, then each job handed to it while it waited, until none came.
    private func work(first: @escaping @Sendable () -> Void) {
        var job = first
        let me = Parked()
        while true {
            job()
            let parks = idle.withLock { idle in
                guard idle.count < capacity else { return false }
                idle.append(me)
                return true
            }
            guard parks, let next = me.waitForJob(for: idleFor, unlessTaken: { withdraw(me) }) else { return }
            job = next
        }
    }

    /// Takes `parked` off the idle list; false when `run` took it first (a job is on its way).
    private func withdraw(_ parked: Parked) -> Bool {
        idle.withLock { idle in
            guard let index = idle.firstIndex(where: { $0 === parked }) else { return false }
            idle.remove(at: index)
            return true
        }
    }
}

/// One idle thread's mailbox.
///
/// Unchecked: `job` is written by `hand` before the semaphore's signal and read by the waiting
/// thread after its wait returns, never at once.
private final class Parked: @unchecked Sendable {
    private let signal = DispatchSemaphore(value: 0)
    private var job: (@Sendable () -> Void)?

    func hand(_ job: @escaping @Sendable () -> Void) {
        self.job = job
        signal.signal()
    }

    /// The job handed over within `duration`, or nil when none was and `withdraw` took this
    /// mailbox off the idle list before anyone chose it.
    func waitForJob(for duration: Duration, unlessTaken withdraw: () -> Bool) -> (@Sendable () -> Void)? {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        if signal.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            if withdraw() { return nil }
            // Chosen just as the wait ran out: the job is being handed over.
            signal.wait()
        }
        defer { job = nil }
        return job
    }
}
