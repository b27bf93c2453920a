import CrisisApp
import Foundation
import Synchronization
import Testing

/// The real clock's wait: a `DispatchSourceTimer` on wall time, cancelled whenever a worker sets a
/// new alarm. Seen in a crash-loop test before the fix: a wait cancelled just as its timer fired
/// deadlocked the timer's queue against the task being cancelled, and the daemon stopped paging
/// and stopping (the page sender's and the engine's alarms share that queue).
@Suite struct SystemWallClockTests {
    @Test func aWaitCancelledJustAsItsTimerFiresNeverDeadlocks() async throws {
        let clock = SystemWallClock()
        let rounds = 3000
        let finished = Atomic<Int>(0)
        // Cancellers on threads of their own, as the engine's and the sender's actors set alarms
        // while timers fire; so a deadlock holds them, not the test's cooperative pool.
        for worker in 0..<2 {
            Thread.detachNewThread {
                for round in 0..<rounds {
                    let instant = Date() + Double((round + worker) % 7) * 0.0001
                    let wait = Task { try? await clock.sleep(until: instant) }
                    usleep(UInt32((round * 37 + worker * 11) % 400))
                    wait.cancel()
                }
                finished.add(1, ordering: .sequentiallyConsistent)
            }
        }
        let deadline = Date() + 60
        while finished.load(ordering: .sequentiallyConsistent) < 2, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(
            finished.load(ordering: .sequentiallyConsistent) == 2,
            "cancelling waits while their timers fired hung the clock")
    }

    @Test func aWaitEndsAtItsInstantAndAPastInstantEndsAtOnce() async throws {
        let clock = SystemWallClock()
        let start = Date()
        try await clock.sleep(until: start + 0.2)
        #expect(Date().timeIntervalSince(start) >= 0.2)
        let past = Date()
        try await clock.sleep(until: past - 3600)
        #expect(Date().timeIntervalSince(past) < 0.5)
    }

    @Test func aCancelledWaitThrowsCancellation() async throws {
        let clock = SystemWallClock()
        let wait = Task { try await clock.sleep(until: Date() + 3600) }
        try await Task.sleep(for: .milliseconds(50))
        wait.cancel()
        await #expect(throws: CancellationError.self) { try await wait.value }
    }
}
