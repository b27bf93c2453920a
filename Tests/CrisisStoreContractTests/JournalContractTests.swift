import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// The journal: what was written comes back, oldest first, filtered by crisis and instant.
@Suite struct JournalContractTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreUnderTest.allCases)
    func theJournalComesBackOldestFirstByCrisisAndFromAnInstantOn(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let started = JournalEntry(at: t0, kind: .daemonStarted, actor: "crisisd", data: ["version": "1.4"])
        try await store.append([started])
        _ = try await Fixture.record(Fixture.draft("CR-AAAA", receivedAt: t0 + 10), in: store)
        _ = try await Fixture.record(Fixture.draft("CR-BBBB", receivedAt: t0 + 20), in: store)
        let reloaded = JournalEntry(
            at: t0 + 30, kind: .configReloaded, actor: "crisisd", data: ["people": "12", "steps": "3"])
        try await store.append([reloaded])

        let all = try await store.journal(reference: nil, since: nil, limit: 100)
        #expect(Fixture.written(all).first == started && Fixture.written(all).last == reloaded)
        #expect(all.map(\.kind) == [.daemonStarted, .crisisReceived, .crisisReceived, .configReloaded])
        let ids = all.compactMap(\.id)
        #expect(ids.count == 4 && ids == ids.sorted() && Set(ids).count == 4, "each entry has its own id, in order")

        let crisisA = try await store.journal(reference: Fixture.reference("CR-AAAA"), since: nil, limit: 100)
        #expect(crisisA.map(\.at) == [t0 + 10] && crisisA.allSatisfy { $0.reference?.rawValue == "CR-AAAA" })
        let since = try await store.journal(reference: nil, since: t0 + 20, limit: 100)
        #expect(since.map(\.at) == [t0 + 20, t0 + 30], "from the instant on, that instant included")
        #expect(try await store.journal(reference: Fixture.reference("CR-AAAA"), since: t0 + 20, limit: 100).isEmpty)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aLimitKeepsTheNewestEntriesStillOldestFirst(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        try await store.append(
            (0..<5).map { JournalEntry(at: t0 + Double($0), kind: .configReloaded, actor: "crisisd") })
        let newest = try await store.journal(reference: nil, since: nil, limit: 2)
        #expect(newest.map(\.at) == [t0 + 3, t0 + 4])
        #expect(try await store.journal(reference: nil, since: t0 + 1, limit: 10).count == 4)
    }

    /// Many entries appended together (the SQLite store writes them several to a statement) come
    /// back whole and in the order given, however many statements that took.
    @Test(arguments: StoreUnderTest.allCases)
    func entriesAppendedTogetherComeBackWholeInTheOrderGiven(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        let reference = CrisisReference(parsing: "CR-7K4P")
        for count in [1, 15, 16, 17, 40] {
            let entries = (0..<count).map { n in
                JournalEntry(
                    at: t0 + Double(count * 100 + n), reference: n % 3 == 0 ? nil : reference,
                    kind: n % 2 == 0 ? .configReloaded : .daemonStarted, actor: "actor-\(n)",
                    data: n % 4 == 0 ? [:] : ["n": "\(n)", "count": "\(count)"])
            }
            try await store.append(entries)
            let back = try await store.journal(reference: nil, since: t0 + Double(count * 100), limit: 1000)
            #expect(back.count == count)
            #expect(back.map(\.at) == entries.map(\.at), "\(count) entries")
            #expect(back.map(\.actor) == entries.map(\.actor))
            #expect(back.map(\.reference) == entries.map(\.reference))
            #expect(back.map(\.kind) == entries.map(\.kind))
            #expect(back.map(\.data) == entries.map(\.data))
        }
    }
}
