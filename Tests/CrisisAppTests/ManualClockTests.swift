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
