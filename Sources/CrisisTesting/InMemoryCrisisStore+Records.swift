import CrisisCore
import CrisisStorage
import Foundation

/// The journal and rota overrides: records appended in order and read back in order.
extension InMemoryCrisisStore {
    /// Journal entries oldest first, of one crisis and from an instant on when asked: the newest
    /// `limit` of those.
    public func journal(reference: CrisisReference? = nil, since: Date? = nil, limit: Int = 10_000) async throws
        -> [JournalEntry]
    {
        try read { state in
            let matching = state.journal.filter { entry in
                (reference == nil || entry.reference == reference) && (since.map { entry.at >= $0 } ?? true)
            }
            return Array(limit < 0 ? matching[...] : matching.suffix(limit))
        }
    }

    public func addOverride(target: String, person: String, from: Date, to: Date, by actor: String, at now: Date)
        async throws -> RotaOverride
    {
        try write { state in
            let override = RotaOverride(
                id: "\(state.overrides.count + 1)", target: target, person: person, from: from, to: to,
                createdBy: actor)
            state.overrides.append(InMemoryCrisisStore.StoredOverride(override: override, createdAt: now))
            state.append([override.addedEntry(at: now)])
            return override
        }
    }

    /// Marks an override removed (it is kept, marked) and journals it; nil when none in force has this id.
    public func removeOverride(id: String, by actor: String, at now: Date) async throws -> RotaOverride? {
        try write { state in
            guard let number = Int64(id), number >= 1, number <= state.overrides.count,
                state.overrides[Int(number) - 1].removedAt == nil
            else { return nil }
            state.overrides[Int(number) - 1].removedAt = now
            state.overrides[Int(number) - 1].removedBy = actor
            let override = state.overrides[Int(number) - 1].override
            state.append([override.removedEntry(by: actor, at: now)])
            return override
        }
    }

    /// Overrides not removed, oldest first (so the newest wins where they overlap).
    public func overrides() async throws -> [RotaOverride] {
        try read { state in state.overrides.filter { $0.removedAt == nil }.map(\.override) }
    }
}
