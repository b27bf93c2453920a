import Foundation
import Synchronization
import Testing

@testable import CrisisNotify

/// The threads pages' transfers run on: reused when idle, never shared by two transfers at once.
@Suite struct ParkedThreadsTests {
    /// Counts the threads started, and starts them as `OwnThread` does unless told to refuse.
    final class Starter: Sendable {
        private let state = Mutex((started: 0, refuses: false))
        var started: Int { state.withLock { $0.started } }
        func refuse(_ refuses: Bool) { state.withLock { $0.refuses = refuses } }

        func start(_ body: @escaping @Sendable () -> Void) -> Bool {
            let refused = state.withLock { state in
                if !state.refuses { state.started += 1 }
                return state.refuses
            }
            return refused ? false : OwnThread.start(body)
        }
    }

    /// Runs `job` on `threads` and waits for it; the id of the thread it ran on, and its result.
    static func run<T: Sendable>(_ threads: ParkedThreads, _ job: @escaping @Sendable () -> T) async throws -> (UInt, T)
    {
        try await withCheckedThrowingContinuation { continuation in
            let started = threads.run { continuation.resume(returning: (UInt(pthread_self()), job())) }
            if !started { continuation.resume(throwing: Refused()) }
        }
    }

    static func run(_ threads: ParkedThreads) async throws -> UInt { try await Self.run(threads) {}.0 }

    struct Refused: Error {}

    final class Arrivals: Sendable {
        private let count = Mutex(0)
        /// How many have arrived, this one included.
        func next() -> Int {
            count.withLock { count in
                count += 1
                return count
            }
        }
    }

    /// Polls `condition` for up to 5 s.
    func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func aThreadThatFinishedItsJobTakesTheNextOneInsteadOfANewThreadStarting() async throws {
        let starter = Starter()
        let threads = ParkedThreads(capacity: 4, idleFor: .seconds(30), starter: starter.start)
        // A job's caller goes on as its job ends, a moment before the thread is idle again.
        let first = try await Self.run(threads)
        try #expect(await eventually { threads.idleCount == 1 })
        let second = try await Self.run(threads)
        try #expect(await eventually { threads.idleCount == 1 })
        let third = try await Self.run(threads)
        #expect(first == second && second == third)
        #expect(starter.started == 1)
    }

    /// A transfer that hangs until its timeout must hold back no other page.
    @Test func jobsRunningAtOnceEachHaveAThreadOfTheirOwnEvenWithThreadsIdleBefore() async throws {
        let starter = Starter()
        let threads = ParkedThreads(capacity: 2, idleFor: .seconds(30), starter: starter.start)
        _ = try await Self.run(threads)
        _ = try await Self.run(threads)
        // Eight jobs, each waiting until all eight run: any job queued behind another would
        // leave the others waiting out their timeout.
        let arrived = Arrivals()
        let all = DispatchSemaphore(value: 0)
        let ids = try await withThrowingTaskGroup(of: (UInt, Bool).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await Self.run(threads) {
                        if arrived.next() == 8 {
                            for _ in 0..<8 { all.signal() }
                        }
                        return all.wait(timeout: .now() + 5) == .success
                    }
                }
            }
            return try await group.reduce(into: [(UInt, Bool)]()) { $0.append($1) }
        }
        let waitedForAnother = ids.filter { !$0.1 }.count
        let threadsUsed = Set(ids.map { $0.0 }).count
        #expect(waitedForAnother == 0)
        #expect(threadsUsed == 8)
        // Past the capacity, threads end rather than wait.
        try #expect(await eventually { threads.idleCount == 2 })
    }

    @Test func aRefusedThreadIsReportedAndTheJobIsNotRun() async throws {
        let starter = Starter()
        let threads = ParkedThreads(capacity: 4, idleFor: .seconds(30), starter: starter.start)
        starter.refuse(true)
        let ran = Mutex(false)
        #expect(!threads.run { ran.withLock { $0 = true } })
        #expect(!ran.withLock { $0 })
        // An idle thread still takes work while new ones are refused.
        starter.refuse(false)
        _ = try await Self.run(threads)
        try #expect(await eventually { threads.idleCount == 1 })
        starter.refuse(true)
        _ = try await Self.run(threads)
    }

    @Test func anIdleThreadEndsWhenNoWorkComesInItsTime() async throws {
        let starter = Starter()
        let threads = ParkedThreads(capacity: 4, idleFor: .milliseconds(200), starter: starter.start)
        _ = try await Self.run(threads)
        try #expect(await eventually { threads.idleCount == 1 })
        try #expect(await eventually { threads.idleCount == 0 })
        _ = try await Self.run(threads)
        #expect(starter.started == 2)
    }

    /// An operator reading `top -H` sees which threads send pages, not a dispatch queue's name
    /// they took from the thread that started them.
    @Test func aTransferThreadIsNamedForWhatItDoes() async throws {
        let threads = ParkedThreads(capacity: 1, idleFor: .seconds(60), starter: OwnThread.start)
        let name = try await Self.run(threads) {
            (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "unreadable"
        }.1
        #expect(name.trimmingCharacters(in: .whitespacesAndNewlines) == "page-transfer")
    }
}
