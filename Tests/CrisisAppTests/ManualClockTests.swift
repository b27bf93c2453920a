import CrisisApp
import CrisisTesting
import Foundation
import Testing

/// The clock port: the manual clock ends waits only when moved, and the machine's clock ends a
/// wait at its wall-clock instant; both end a cancelled wait at once.
@Suite struct ManualClockTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aWaitEndsWhenTheClockIsMovedToItsInstantAndNotBefore() async throws {
        let clock = ManualClock(now: t0)
        let ended = Locked(false)
        let waiter = Task {
            try await clock.sleep(until: t0 + 300)
            ended.withLock { $0 = true }
        }
        #expect(await settled { clock.sleeperCount == 1 })
        clock.advance(by: 299)
        #expect(clock.sleeperCount == 1 && !ended.withLock { $0 }, "one second early")
        clock.advance(by: 1)
        try await waiter.value
        #expect(ended.withLock { $0 })
        #expect(clock.now == t0 + 300)
    }

    @Test func aWaitForAnInstantAlreadyPastEndsAtOnce() async throws {
        let clock = ManualClock(now: t0)
        try await clock.sleep(until: t0 - 1)
        try await clock.sleep(until: t0)
        #expect(clock.sleeperCount == 0)
    }

    @Test func aCancelledWaitThrowsAndLeavesNoSleeper() async throws {
        let clock = ManualClock(now: t0)
        let waiter = Task { try await clock.sleep(until: t0 + 3600) }
        #expect(await settled { clock.sleeperCount == 1 })
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func theSystemClockEndsAWaitAtItsWallClockInstantNotBefore() async throws {
        let clock = SystemWallClock()
        let instant = clock.now + 0.2
        try await clock.sleep(until: instant)
        #expect(clock.now >= instant)
    }

    @Test func theSystemClockEndsACancelledWaitAtOnce() async throws {
        let clock = SystemWallClock()
        let started = clock.now
        let waiter = Task { try await clock.sleep(until: started + 3600) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test func wakeupsAtAnInstantComeWhenTheClockGetsThereAndALaterInstantReplacesIt() async throws {
        let clock = ManualClock(now: t0)
        let wakeSignal = WakeSignal(clock: clock)
        var iterator = wakeSignal.stream.makeAsyncIterator()
        wakeSignal.wake(at: t0 + 60)
        wakeSignal.wake(at: t0 + 120)  // replaces the first
        #expect(await settled { clock.sleeperCount == 1 })
        clock.advance(by: 60)
        #expect(clock.sleeperCount == 1, "the replaced instant does not wake the worker")
        clock.advance(by: 60)
        await iterator.next()
        #expect(clock.sleeperCount == 0)
    }

    @Test func theSameInstantSetAgainKeepsItsAlarmAndSetAfterItWentOffWakesAgain() async throws {
        let clock = ManualClock(now: t0)
        let wakeSignal = WakeSignal(clock: clock)
        let wakes = counting(wakeSignal)
        defer { wakes.cancel() }
        wakeSignal.wake(at: t0 + 60)
        #expect(await settled { clock.sleeperCount == 1 })
        wakeSignal.wake(at: t0 + 60)  // after each pass, a worker sets the same alarm again
        try await Task.sleep(for: .milliseconds(20))
        #expect(clock.sleeperCount == 1, "one alarm for one instant")
        clock.advance(by: 60)
        #expect(await settled { wakes.count == 1 })
        // Gone off: the same instant again (a worker whose pass left it due) is a new alarm.
        wakeSignal.wake(at: t0 + 60)
        #expect(await settled { wakes.count == 2 })
    }

    /// An intake asks the engine for no pass when the alarm set goes off before its crisis's first
    /// deadline; a pass under way that read the deadlines before that crisis existed must not then
    /// set a later alarm.
    @Test func anInstantTheAlarmCoveredBoundsTheNextAlarmsUntilTheDeadlinesAreReadAgain() async throws {
        let clock = ManualClock(now: t0)
        let wakeSignal = WakeSignal(clock: clock)
        let wakes = counting(wakeSignal)
        defer { wakes.cancel() }
        #expect(!wakeSignal.alarmCovers(t0 + 100), "no alarm set covers nothing")
        wakeSignal.wake(at: t0 + 60)
        #expect(!wakeSignal.alarmCovers(t0 + 30), "an alarm after the instant does not cover it")
        #expect(wakeSignal.alarmCovers(t0 + 100))
        wakeSignal.wake(at: t0 + 300)  // the pass under way had not seen the deadline at t0 + 100
        #expect(await settled { clock.sleeperCount == 1 })
        clock.advance(by: 100)
        #expect(await settled { wakes.count == 1 }, "the covered instant woke the worker")
        // Read afresh: the next alarm is the pass's own.
        wakeSignal.forgetCovered()
        wakeSignal.wake(at: t0 + 300)
        #expect(await settled { clock.sleeperCount == 1 })
        clock.advance(by: 199)
        try await Task.sleep(for: .milliseconds(20))
        #expect(wakes.count == 1)
        clock.advance(by: 1)
        #expect(await settled { wakes.count == 2 })
    }

    /// Counts the worker's wakes, as its loop would take them.
    func counting(_ wakeSignal: WakeSignal) -> WakeCounter {
        let counter = WakeCounter()
        counter.task = Task { [stream = wakeSignal.stream] in
            for await _ in stream { counter.value.withLock { $0 += 1 } }
        }
        return counter
    }

    final class WakeCounter: @unchecked Sendable {
        let value = Locked(0)
        var task: Task<Void, Never>?
        var count: Int { value.withLock { $0 } }
        func cancel() { task?.cancel() }
    }

    /// Lets other tasks run until `condition` holds (at most about a second).
    func settled(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return condition()
    }
}

/// A value shared with a task, for assertions.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
