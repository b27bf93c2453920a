import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import CrisisSQLite

/// The engine reads the next deadline before and after every pass, and the crises due in it: with
/// 100,000 open crises a query that reads the whole table makes every escalation step late (3 ms
/// a read with 10,000 open, measured by the benchmark). A crisis's journal is read for its page
/// and each `crisisctl journal --crisis`, and the journal holds every crisis's entries. SQLite
/// counts the rows a statement stepped through in a full scan; for these queries that count must
/// be zero.
@Suite struct PassQueryTests {
    let folder = TestFolder.unique("pass-queries")
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A store holding `count` open crises, each with its next escalation step 5 minutes on.
    func store(holding count: Int) async throws -> SQLiteCrisisStore {
        let store = try SQLiteCrisisStore(path: folder.appendingPathComponent("crisisd.sqlite").path)
        let alphabet = CrisisReference.alphabet
        for n in 0..<count {
            let body = String([alphabet[n / 31 / 31 % 31], alphabet[n / 31 % 31], alphabet[n % 31], "Z"])
            let reference = CrisisReference(parsing: body)!
            let receivedAt = t0 + Double(n)
            _ = try await store.record(
                CrisisDraft(
                    reference: reference,
                    intake: Intake(category: .violence, site: "Depot", callback: "+4512345678"),
                    source: "crisisctl", idempotencyKey: nil, receivedAt: receivedAt, assigned: ["anna"],
                    noOneOnDuty: false, clocks: ClockPolicy().startClocks(firstContact: receivedAt, group: false),
                    progress: EscalationProgress(nextAt: receivedAt + 300), pages: [],
                    journal: [
                        JournalEntry(at: receivedAt, reference: reference, kind: .crisisReceived, actor: "crisisctl")
                    ]
                ))
        }
        return store
    }

    /// Runs `sql` once and answers how many rows SQLite stepped through in full-table scans.
    func fullScanSteps(_ store: SQLiteCrisisStore, _ sql: String, _ arguments: StatementArguments = []) async throws
        -> Int32
    {
        try await store.pool.read { db in
            let statement = try db.makeStatement(sql: sql)
            _ = try Row.fetchAll(statement, arguments: arguments)
            return sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)
        }
    }

    @Test func theNextDeadlineIsFoundByIndexNotByReadingEveryCrisis() async throws {
        let store = try await store(holding: 200)
        #expect(try await store.nextDeadline() == t0 + 300)
        #expect(try await fullScanSteps(store, SQLiteCrisisStore.nextDeadlineSQL) == 0)
    }

    @Test func aCrisissJournalIsFoundByIndexNotByReadingEveryEntry() async throws {
        let store = try await store(holding: 200)
        let reference = try #require(CrisisReference(parsing: "259Z"), "the 101st crisis of `store(holding:)`")
        let journal = try await store.journal(reference: reference)
        #expect(journal.map(\.kind) == [.crisisReceived] && journal.first?.reference == reference)
        for since in [nil, t0] {
            let query = SQLiteCrisisStore.journalQuery(reference: reference, since: since, limit: 100)
            #expect(try await fullScanSteps(store, query.sql, query.arguments) == 0)
        }
    }

    @Test func theCrisesDueAreFoundByIndexNotByReadingEveryCrisis() async throws {
        let store = try await store(holding: 200)
        #expect(try await store.crisesDue(at: t0 + 310).count == 11)
        #expect(try await fullScanSteps(store, SQLiteCrisisStore.dueCrisesSQL, [t0 + 310, 200]) == 0)
    }
}
