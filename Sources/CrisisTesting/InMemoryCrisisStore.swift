import CrisisCore
import CrisisStorage
import Foundation
import Synchronization

/// The store port held in memory: for running the app in-process without a file, and the second
/// implementation the contract suite (`Tests/CrisisStoreContractTests`) holds to `SQLiteCrisisStore`.
///
/// It keeps what the SQLite store keeps and answers as it does: ids count from 1 in the order
/// rows are written, crises, pages and journal entries come back in the same order, and the rules
/// the SQLite store applies in SQL (the first acknowledgement stands, an ended clock never changes,
/// a cancelled page stays cancelled) hold here too. Nothing outlives the object.
public final class InMemoryCrisisStore: CrisisStore {
    let state = Mutex(State())

    public init() {}

    /// Runs `body` on a copy of the state and keeps the copy only if `body` returns: a write that
    /// throws leaves nothing behind, as a rolled-back transaction would.
    func write<T: Sendable>(_ body: (inout State) throws -> T) throws -> T {
        try state.withLock { state in
            var working = state
            let result = try body(&working)
            state = working
            return result
        }
    }

    func read<T: Sendable>(_ body: (State) throws -> T) throws -> T {
        try state.withLock { state in try body(state) }
    }

    // MARK: Reads

    public func crisis(_ reference: CrisisReference) async throws -> CrisisView? {
        try read { state in state.index(of: reference).map(state.view) }
    }

    public func source(of reference: CrisisReference) async throws -> String? {
        try read { state in state.index(of: reference).map { state.crises[$0].source } }
    }

    /// Crises not yet resolved, newest first (the latest recorded first among equal instants).
    public func openCrises() async throws -> [CrisisView] {
        try read { state in
            state.crises.indices.filter { state.crises[$0].status != .resolved }
                .sorted { a, b in
                    let (first, second) = (state.crises[a].receivedAt, state.crises[b].receivedAt)
                    return first != second ? first > second : a > b
                }
                .map(state.view)
        }
    }

    public func openSummary() async throws -> StatusLine.Summary {
        StatusLine.Summary(try await openCrises())
    }

    /// Memory is always there to answer.
    public func ping() async throws {}
}
