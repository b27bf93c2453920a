import Foundation
import Synchronization

@testable import CrisisSQLite

/// Holds a store's writer busy (a write that waits for `release`) so that what is written next
/// queues behind it, as writes do behind a commit syncing to disk. Made once it holds.
struct WriterHold {
    let release: @Sendable () -> Void
    /// The holding write, done once released.
    let done: Task<Void, any Error>

    init(_ writer: GroupCommitWriter) async throws {
        let gate = DispatchSemaphore(value: 0)
        let holding = Mutex(false)
        done = Task {
            try await writer.write { _ in
                holding.withLock { $0 = true }
                gate.wait()
            }
        }
        release = { gate.signal() }
        let deadline = Date() + 20
        while !holding.withLock({ $0 }) {
            guard Date() < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until `count` writes queue behind the hold.
    static func waitUntil(_ writer: GroupCommitWriter, queued count: Int) async throws {
        let deadline = Date() + 20
        while writer.waitingCount < count {
            guard Date() < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
