import Dispatch
import Synchronization

/// Syncs committed transactions to disk on a thread of its own, then answers their writers.
///
/// The writer commits without waiting for the disk and goes on with the next transaction (an
/// escalation pass, the next intakes) while this syncs the log once for every commit waiting:
/// a sync the disk holds up for a hundred milliseconds holds up those commits' answers, not the
/// steps due behind them. Nothing is answered before the sync that covers it has returned, so a
/// crisis answered "received" is on disk as before.
///
/// Readers and later transactions see a commit before its sync. Should a sync fail, those
/// commits may not be on disk while later ones were built on them, and the kernel may already
/// have marked the pages clean (a second `fdatasync` succeeds without writing them). So a failed
/// sync is final, as in PostgreSQL: its writes and every write after it are answered with the
/// failure, `check()` throws it (the health monitor's ping, so systemd's watchdog restarts
/// crisisd), and the restart reads what is really on disk.
final class CommitSyncer: Sendable {
    private let log: any LogSync
    private let queue = DispatchQueue(label: "crisisd.log-sync", qos: .userInitiated)
    private let state = Mutex(State())

    /// What to do once the transactions committed so far are on disk (nil) or could not be
    /// synced (the failure).
    typealias Answer = @Sendable ((any Error)?) -> Void

    private struct State {
        var waiting: [Answer] = []
        var syncing = false
        var failure: WritesRefused?
        var syncs = 0
    }

    init(log: any LogSync) { self.log = log }

    /// Syncs run so far. For tests.
    var syncs: Int { state.withLock { $0.syncs } }

    /// Throws once a sync has failed: nothing more may be written until a restart.
    func check() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Calls `answer` once everything committed before this call is on disk, or with the failure.
    func afterSync(_ answer: @escaping Answer) {
        let starts = state.withLock { state in
            state.waiting.append(answer)
            defer { state.syncing = true }
            return !state.syncing
        }
        if starts { queue.async { self.syncUntilIdle() } }
    }

    private func syncUntilIdle() {
        while true {
            let (waiting, failure) = state.withLock { state in
                let waiting = state.waiting
                state.waiting = []
                if waiting.isEmpty { state.syncing = false }
                return (waiting, state.failure)
            }
            if waiting.isEmpty { return }
            var outcome: (any Error)? = failure
            if failure == nil {
                do {
                    try log.sync()
                } catch {
                    let refused = WritesRefused(cause: error)
                    state.withLock { $0.failure = refused }
                    outcome = refused
                }
                state.withLock { $0.syncs += 1 }
            }
            for answer in waiting { answer(outcome) }
        }
    }
}

/// A sync of the log failed: the writes it covered, and every write since, may not be on disk.
struct WritesRefused: Error, CustomStringConvertible {
    let cause: any Error
    var description: String {
        "\(cause); what was written since the last sync may not be on disk, so crisisd refuses every write"
            + " until it is restarted (under systemd, its watchdog does that within 30 s)"
    }
}
