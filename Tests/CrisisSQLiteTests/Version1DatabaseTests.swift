import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import GRDB
import Testing

@testable import CrisisSQLite

/// A database written by crisisd as it shipped with migration v1 (`Fixtures/make-v1-database.sh`
/// made it with commit 8fd841e) opens with today's code, and nothing in it is lost.
@Suite struct Version1DatabaseTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/v1-database.sqlite")

    /// A copy to open, so the committed file is never migrated.
    func copy() throws -> String {
        let folder = TestFolder.unique("v1")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("crisisd.sqlite").path
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: path)
        return path
    }

    @Test func everyCrisisClockPageJournalEntryAndCoverOfAVersion1DatabaseIsThereAfterTheUpgrade() async throws {
        let path = try copy()
        // What v1 wrote, read with plain SQL before today's store touches the file.
        let before = try DatabaseQueue(path: path).read { db in
            (
                migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
                crises: try Row.fetchAll(db, sql: "SELECT id, reference, status FROM crisis ORDER BY id"),
                clocks: try Int.fetchOne(db, sql: "SELECT count(*) FROM clock")!,
                pages: try Int.fetchOne(db, sql: "SELECT count(*) FROM page")!,
                journal: try Int.fetchOne(db, sql: "SELECT count(*) FROM journal")!,
                journalByCrisis: try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(
                        db,
                        sql: """
                            SELECT reference, count(*) AS entries FROM journal WHERE reference IS NOT NULL
                            GROUP BY reference
                            """
                    ).map { ($0["reference"] as String, $0["entries"] as Int) })
            )
        }
        #expect(before.migrations == ["v1: crises, clocks, pages, journal"])
        #expect(before.crises.map { $0["status"] as String } == ["acknowledged", "open", "resolved"])
        #expect(before.journalByCrisis.count == before.crises.count, "v1 journaled every crisis")

        let store = try SQLiteCrisisStore(path: path)
        var clocks = 0
        var pages = 0
        for row in before.crises {
            let reference = try #require(CrisisReference(parsing: row["reference"]))
            let crisis = try #require(try await store.crisis(reference), "\(reference) is gone")
            #expect(crisis.status.rawValue == row["status"] as String)
            clocks += crisis.clocks.count
            // v1's clocks were the three the default rules still describe: each reads back with
            // its rule's label and what stops it.
            for clock in crisis.clocks {
                let rule = try #require(ClockPolicy()[clock.kind], "\(clock.kind) is not a default rule")
                #expect(clock.label == rule.label && clock.stop == rule.stop)
            }
            pages += crisis.pages.count
            // Each crisis's journal, read by its id since v6, is the one v1 kept by reference.
            #expect(try await store.journal(reference: reference).count == before.journalByCrisis[row["reference"]])
        }
        #expect(clocks == before.clocks)
        #expect(pages == before.pages)
        #expect(try await store.journal().count == before.journal)
        #expect(try await store.overrides().count == 1)
        #expect(try await store.openCrises().count == 2)
        // The two crises not resolved have their next deadline again, found by the engine's query.
        let due = try await store.crisesDue(at: .distantFuture)
        #expect(
            Set(due) == Set(before.crises.filter { $0["status"] as String != "resolved" }.map { $0["id"] as Int64 }))
    }
}
