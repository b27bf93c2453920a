import CrisisCore
import CrisisStorage
import Foundation
import Synchronization

/// The last write that failed, until one commits: how `/healthz` knows a full disk while reads
/// still work. `WatchedCrisisStore` tells it of every write.
public final class CommitWatch: Sendable {
    public struct Failure: Sendable, Equatable {
        public var at: Date
        public var reason: String
    }

    private let last = Mutex<Failure?>(nil)

    public init() {}

    /// The failure that no commit has followed yet.
    public var failure: Failure? { last.withLock { $0 } }

    func committed() {
        last.withLock { $0 = nil }
    }

    /// Notes `error` unless it is the store refusing the caller's input (a reference taken, a
    /// milestone out of order): such a write failed, but the database works.
    func failed(_ error: any Error, at now: Date) {
        guard !(error is StoreError), !(error is FieldError), !(error is CancellationError) else { return }
        last.withLock { $0 = Failure(at: now, reason: "\(error)") }
    }

    /// Runs a write, noting its outcome; `wrote` says whether what it returned was a real commit
    /// (a pass that found nothing due commits nothing, so it proves nothing about the disk).
    func watch<T>(at now: Date, _ write: () async throws -> T, wrote: (T) -> Bool = { _ in true }) async throws -> T {
        do {
            let result = try await write()
            if wrote(result) { committed() }
            return result
        } catch {
            failed(error, at: now)
            throw error
        }
    }
}
