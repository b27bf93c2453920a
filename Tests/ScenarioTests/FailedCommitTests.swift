import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import GRDB
import Synchronization
import Testing

@testable import CrisisSQLite

/// A crisis's first page goes out while its transaction syncs to disk. When that commit fails
/// for another write's sake, the intake is written again alone and its page handed over again:
/// the same page, the same id, twice in flight.
@Suite struct FailedCommitTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Holds the store's writer with a write that waits for the returned gate.
    func holdWriter(_ store: SQLiteCrisisStore) async throws -> (DispatchSemaphore, Task<Void, any Error>) {
        let gate = DispatchSemaphore(value: 0)
        let holding = Mutex(false)
        let held = Task {
            try await store.writer.write { _ in
                holding.withLock { $0 = true }
                gate.wait()
            }
        }
        #expect(await eventually { holding.withLock { $0 } })
        return (gate, held)
    }

    /// While one copy is still out, the page is not claimed again from the outbox at its retry
    /// instant, though the other copy is back: a third request (attempt 2) would page once more.
    /// (Which copy reaches the receiver first is a race; the one held is the second to arrive.)
    @Test func aPageHandedOverTwiceIsNotClaimedAgainWhileOneCopyIsStillOut() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        // The first copy back at once, the second held for two seconds (within the 3 s timeout).
        receiver.hold(each: [.zero, .seconds(2)])
        let store = try SQLiteCrisisStore(path: TestFolder.unique("failed-commit", suffix: ".sqlite").path)
        let app = try await InProcessDaemon(
            config: Scenario.config(webhookURL: receiver.url, escalation: #"steps = ["rotation:chiefs"]"#),
            now: Self.t0,
            store: store)
        let (gate, held) = try await holdWriter(store)
        defer { gate.signal() }

        // The intake and, in the same transaction, a write that fails at its commit.
        let intake = Task {
            await app.request(
                "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00"}"#)
        }
        #expect(await eventually { store.writer.waitingCount == 1 })
        let failing = Task {
            try await store.writer.write { db in
                try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                try db.execute(sql: "INSERT INTO crisis_personal (crisis_id) VALUES (999999)")
            }
        }
        #expect(await eventually { store.writer.waitingCount == 2 })
        gate.signal()
        try await held.value
        #expect(try await intake.value.get().status == 201, "written again alone, the crisis is recorded")
        await #expect(throws: (any Error).self) { try await failing.value }

        let copies = await receiver.waitFor(2)
        #expect(copies.count == 2)
        #expect(Set(copies.compactMap { $0.json["id"] as? String }).count == 1, "the same page twice")
        // Past attempt 1's retry instant (200 ms), with the second copy still out, the sender
        // reads the outbox (a reload makes it, as other pages' events would).
        app.clock.advance(by: 2)
        app.reload()
        try await Task.sleep(for: .milliseconds(1500))
        #expect(receiver.deliveries.count == 2, "no attempt 2 while a copy is out")
        // The copy of the failed transaction records nothing; the other records the delivery.
        #expect(
            await eventually { app.log.contains("page sent, but the transaction that claimed it did not commit") })
        let reference = try #require(copies.first?.json["reference"] as? String)
        #expect(
            await eventually {
                (try? await store.crisis(CrisisReference(parsing: reference)!))?.pages.first?.status == "delivered"
            })
        #expect(try await store.journal().filter { $0.kind == .pageDelivered }.count == 1)
        await app.stop()
    }
}
