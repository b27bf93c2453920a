import Foundation

extension RotaOverride {
    /// The journal entry of this cover being added: the same in every store.
    public func addedEntry(at now: Date) -> JournalEntry {
        JournalEntry(
            at: now, kind: .rotaOverrideAdded, actor: createdBy,
            data: [
                "id": id, "target": target, "person": person, "from": from.formatted(.iso8601),
                "to": to.formatted(.iso8601),
            ])
    }

    /// The journal entry of this cover being removed by `actor`.
    public func removedEntry(by actor: String, at now: Date) -> JournalEntry {
        JournalEntry(
            at: now, kind: .rotaOverrideRemoved, actor: actor, data: ["id": id, "target": target, "person": person])
    }
}
