import CrisisCore
import CrisisStorage
import Foundation
import Testing

/// Reads for the API, the CLI and the health check.
@Suite struct ReadContractTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreUnderTest.allCases)
    func openCrisesAreNewestFirstAndAResolvedOneIsNotAmongThem(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        #expect(try await store.openCrises().isEmpty)
        for (reference, offset) in [("CR-AAAA", 0.0), ("CR-BBBB", 60), ("CR-CCCC", 30)] {
            _ = try await Fixture.record(Fixture.draft(reference, receivedAt: t0 + offset), in: store)
        }
        _ = try await store.acknowledge(Fixture.reference("CR-AAAA"), by: "anna", actor: "crisisctl", at: t0 + 90)
        #expect(try await store.openCrises().map(\.reference.rawValue) == ["CR-BBBB", "CR-CCCC", "CR-AAAA"])
        #expect(try await store.openCrises().first == store.crisis(Fixture.reference("CR-BBBB")))

        _ = try await store.update(Fixture.reference("CR-CCCC"), at: t0 + 120) { crisis, _ in
            var after = crisis
            after.resolved = true
            return CrisisUpdate(snapshot: after)
        }
        #expect(try await store.openCrises().map(\.reference.rawValue) == ["CR-BBBB", "CR-AAAA"])
    }

    @Test(arguments: StoreUnderTest.allCases)
    func theSourceOfACrisisIsWhoReportedIt(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        _ = try await Fixture.record(Fixture.draft("CR-AAAA", source: "requester:albertslund"), in: store)
        _ = try await Fixture.record(Fixture.draft("CR-BBBB", source: "crisisctl"), in: store)
        #expect(try await store.source(of: Fixture.reference("CR-AAAA")) == "requester:albertslund")
        #expect(try await store.source(of: Fixture.reference("CR-BBBB")) == "crisisctl")
        #expect(try await store.source(of: Fixture.reference("CR-2222")) == nil)
    }

    @Test(arguments: StoreUnderTest.allCases)
    func aStoreThatCanBeReadAnswersAPing(_ kind: StoreUnderTest) async throws {
        let store = try await kind.make()
        try await store.ping()
        _ = try await Fixture.record(Fixture.draft("CR-AAAA"), in: store)
        try await store.ping()
    }
}
