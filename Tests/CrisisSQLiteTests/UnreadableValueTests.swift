import CrisisCore
import CrisisSQLite
import CrisisStorage
import CrisisTesting
import Foundation
import GRDB
import Testing

/// A stored value this build does not know (written by a newer crisisd, or by hand) is an error
/// naming the table, the row, the column and the value: never read as some other value.
@Suite struct UnreadableValueTests {
    let folder = TestFolder.unique("unreadable")
    var path: String { folder.appendingPathComponent("crisisd.sqlite").path }
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    let reference = CrisisReference(parsing: "CR-7K4P")!

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A store with one crisis (row 1) on a real file, and a second connection for raw SQL.
    func storeWithOneCrisis() async throws -> (SQLiteCrisisStore, DatabaseQueue) {
        let store = try SQLiteCrisisStore(path: path)
        let draft = CrisisDraft(
            reference: reference, intake: Intake(category: .violence, site: "Depot", callback: "+4512345678"),
            source: "crisisctl", idempotencyKey: nil, receivedAt: t0, assigned: ["anna"], noOneOnDuty: false,
            clocks: ClockPolicy().startClocks(firstContact: t0, group: false),
            progress: EscalationProgress(nextAt: t0 + 300),
            pages: [], journal: [JournalEntry(at: t0, reference: reference, kind: .crisisReceived, actor: "crisisctl")])
        _ = try await store.record(draft)
        return (store, try DatabaseQueue(path: path))
    }

    /// What a raw write leaves behind, and the error reading the crisis must then give.
    struct Spoiler: Sendable, CustomTestStringConvertible {
        var sql: String
        var message: @Sendable (Int64) -> String
        var testDescription: String { sql }
    }

    static let spoilers: [Spoiler] = [
        // Clocks are rules with names an administrator gives: a name no rule could have is unknown,
        // and so is what a clock waits for when this build has no such milestone.
        Spoiler(
            sql:
                "INSERT INTO clock (crisis_id, kind, stops, started_at, due_at) VALUES (1, 'Lunch break', 'acknowledgement', '2026-11-18 08:00:00', '2026-11-18 09:00:00')",
            message: { "clock row \($0): unknown kind \"Lunch break\"" }),
        Spoiler(
            sql:
                "INSERT INTO clock (crisis_id, kind, stops, started_at, due_at) VALUES (1, 'lunch', 'dessert', '2026-11-18 08:00:00', '2026-11-18 09:00:00')",
            message: { "clock row \($0): unknown stops \"dessert\"" }),
        Spoiler(
            sql:
                "INSERT INTO clock (crisis_id, kind, started_at, due_at) VALUES (1, 'lunch', '2026-11-18 08:00:00', '2026-11-18 09:00:00')",
            message: { "clock row \($0): unknown stops \"NULL\"" }),
        Spoiler(
            sql: "UPDATE crisis SET category = 'weather' WHERE id = 1",
            message: { _ in "crisis row 1: unknown category \"weather\"" }),
        Spoiler(
            sql: "UPDATE crisis SET requester_role = 'boss' WHERE id = 1",
            message: { _ in "crisis row 1: unknown requester_role \"boss\"" }),
        Spoiler(
            sql:
                "INSERT INTO milestone (crisis_id, kind, at, recorded_at, by) VALUES (1, 'lunch', '2026-11-18 08:00:00', '2026-11-18 08:00:00', 'anna')",
            message: { "milestone row \($0): unknown kind \"lunch\"" }),
        Spoiler(
            sql: "UPDATE crisis SET reference = 'garbage' WHERE id = 1",
            message: { _ in "crisis row 1: unknown reference \"garbage\"" }),
    ]

    @Test(arguments: spoilers)
    func aCrisisHoldingAValueTheStoreDoesNotKnowIsAnErrorNamingTheRow(_ spoiler: Spoiler) async throws {
        let (store, queue) = try await storeWithOneCrisis()
        let row = try await queue.write { db in
            try db.execute(sql: spoiler.sql)
            return db.lastInsertedRowID
        }
        let error = await #expect(throws: (any Error).self) { try await store.openCrises() }
        #expect(error.map { "\($0)" } == spoiler.message(row))
    }

    @Test func aJournalEntryOfAKindTheStoreDoesNotKnowIsAnErrorNamingTheRow() async throws {
        let (store, queue) = try await storeWithOneCrisis()
        let row = try await queue.write { db in
            try db.execute(
                sql:
                    """
                    INSERT INTO journal (at, reference, crisis_id, kind, actor, data)
                    VALUES ('2026-11-18 08:00:00', 'CR-7K4P', (SELECT id FROM crisis WHERE reference = 'CR-7K4P'),
                        'daemon.lunch', 'crisisd', '{}')
                    """
            )
            return db.lastInsertedRowID
        }
        let error = await #expect(throws: (any Error).self) { try await store.journal(reference: reference) }
        #expect(error.map { "\($0)" } == "journal row \(row): unknown kind \"daemon.lunch\"")
    }
}
