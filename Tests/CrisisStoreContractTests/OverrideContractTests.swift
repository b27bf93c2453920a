import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// Rota cover written at run time: added, listed oldest first, removed once, journalled.
@Suite struct OverrideContractTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreUnderTest.allCases)
    func coverIsAddedListedOldestFirstAndRemovedOnce(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        #expect(try await store.overrides().isEmpty)
        let first = try await store.addOverride(
            target: "chief", person: "anna", from: t0 + 3600, to: t0 + 7200, by: "crisisctl", at: t0)
        let second = try await store.addOverride(
            target: "crisis", person: "bo", from: t0, to: t0 + 86_400, by: "person:carl", at: t0 + 60)
        #expect(first.target == "chief" && first.person == "anna" && first.createdBy == "crisisctl")
        #expect(first.from == t0 + 3600 && first.to == t0 + 7200)
        #expect(first.id != second.id)
        #expect(try await store.overrides() == [first, second])

        #expect(try await store.removeOverride(id: first.id, by: "crisisctl", at: t0 + 120) == first)
        #expect(try await store.overrides() == [second])
        #expect(try await store.removeOverride(id: first.id, by: "crisisctl", at: t0 + 180) == nil, "removed once")
        #expect(try await store.removeOverride(id: "no-such-cover", by: "crisisctl", at: t0 + 180) == nil)

        let journal = try await store.journal(reference: nil, since: nil, limit: 100)
        #expect(journal.map(\.kind) == [.rotaOverrideAdded, .rotaOverrideAdded, .rotaOverrideRemoved])
        #expect(journal.map(\.actor) == ["crisisctl", "person:carl", "crisisctl"])
        #expect(journal[0].data["id"] == first.id && journal[0].data["person"] == "anna")
        #expect(journal[2].data["id"] == first.id && journal[2].at == t0 + 120)
    }
}
