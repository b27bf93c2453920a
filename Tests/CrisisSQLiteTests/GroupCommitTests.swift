import CrisisCore
import CrisisStorage
import CrisisTesting
import Foundation
import Synchronization
import Testing

@testable import CrisisSQLite

/// Intakes that arrive together are committed together: one sync to disk for many crises, and
/// each caller answered only once the transaction holding its crisis has committed.
@Suite struct GroupCommitTests {
    let path = TestFolder.unique("group", suffix: ".sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func draft(_ n: Int, key: String? = nil, reference: String? = nil) -> CrisisDraft {
        // A distinct reference for each n: its digits in the reference alphabet.
        let alphabet = CrisisReference.alphabet
        let body = String((0..<4).map { alphabet[(n / Int(pow(Double(alphabet.count), Double($0)))) % alphabet.count] })
        let reference = CrisisReference(parsing: reference ?? "CR-\(body)")!
        return CrisisDraft(
            reference: reference, intake: Intake(category: .violence, site: "Site \(n)", callback: "+4512345678"),
            source: "crisisctl", idempotencyKey: key, receivedAt: t0, assigned: ["anna"], noOneOnDuty: false,
            clocks: ClockPolicy().startClocks(firstContact: t0, group: false),
            progress: EscalationProgress(nextAt: t0 + 300), pages: [],
            journal: [JournalEntry(at: t0, reference: reference, kind: .crisisReceived, actor: "crisisctl")])
    }

    func holdWriter(_ store: SQLiteCrisisStore) async throws -> (
        release: @Sendable () -> Void, done: Task<Void, any Error>
    ) {
        let hold = try await WriterHold(store.writer)
        return (hold.release, hold.done)
    }

    func waitUntil(_ store: SQLiteCrisisStore, queued count: Int) async throws {
        try await WriterHold.waitUntil(store.writer, queued: count)
    }

    func waitUntil(_ writer: GroupCommitWriter, queued count: Int) async throws {
        try await WriterHold.waitUntil(writer, queued: count)
    }

    @Test func intakesQueuedDuringACommitShareTheNextOneAndEachIsReadableWhenAnswered() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let other = try SQLiteCrisisStore(path: path)
        let before = store.writer.commits
        let (release, held) = try await holdWriter(store)
        defer { release() }  // also when the test fails early: the writer is never left held
        let count = 64
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<count {
                group.addTask {
                    let result = try await store.record(draft(n))
                    guard case .created(let view) = result else { throw CancellationError() }
                    // Answered only after the commit: another connection sees it at once.
                    #expect(try await other.crisis(view.reference) != nil)
                }
            }
            try await waitUntil(store, queued: count)
            release()
            try await group.waitForAll()
        }
        try await held.value
        #expect(try await store.count() == count)
        #expect(store.writer.commits - before == 2, "the held write, then the \(count) intakes together")
    }

    @Test func aWriteRefusedInAGroupUndoesOnlyItselfAndTheOthersCommitTogether() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft(0, reference: "CR-7K4P"))
        let before = store.writer.commits
        let (release, held) = try await holdWriter(store)
        defer { release() }  // also when the test fails early: the writer is never left held
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 1...20 {
                // Every fifth takes a reference in use: it alone is refused.
                let reference = n % 5 == 0 ? "CR-7K4P" : nil
                group.addTask { (try? await store.record(draft(n, reference: reference))) != nil }
            }
            try await waitUntil(store, queued: 20)
            release()
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        try await held.value
        #expect(store.writer.commits - before == 2, "the refused writes shared the others' transaction")
        #expect(results.filter { $0 }.count == 16)
        #expect(try await store.count() == 17)
        #expect(try await store.journal().count == 17, "the refused ones left no journal entry")
    }

    /// Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction, not
    /// just the failing statement. The writes that shared it must not be failed for it.
    @Test func aWriteThatRollsBackTheWholeTransactionFailsAloneAndTheOthersAreStillRecorded() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let (release, held) = try await holdWriter(store)
        defer { release() }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for n in 1...9 {
                group.addTask { (n, (try? await store.record(draft(n))) != nil) }
            }
            // What SQLite does to the transaction on SQLITE_FULL, done by hand.
            group.addTask { (0, (try? await store.writer.write { db in try db.execute(sql: "ROLLBACK") }) != nil) }
            try await waitUntil(store, queued: 10)
            release()
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        try await held.value
        #expect(outcomes[0] == false, "the write that rolled everything back is told it failed")
        #expect((1...9).allSatisfy { outcomes[$0] == true }, "\(outcomes)")
        #expect(try await store.count() == 9)
    }

    /// The metrics' commit latency: the store tells the app how long each transaction took.
    /// A page's outcome is no one's answer: it waits for an intake's transaction rather than make
    /// the intake queue behind a sync of its own, and commits alone when none comes.
    @Test func aWriteThatMayWaitSharesTheCommitOfOneArrivingInItsWaitAndCommitsAloneAfterIt() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let patient = GroupCommitWriter(
            pool: store.pool, log: try WALFileSync(databasePath: path), companyWait: .seconds(600))
        let outcome = Task { try await patient.write(mayWait: true) { db in try Int.fetchOne(db, sql: "SELECT 1") } }
        try await waitUntil(patient, queued: 1)
        #expect(patient.commits == 0, "the outcome waits for company")
        _ = try await patient.write { db in try Int.fetchOne(db, sql: "SELECT 2") }
        #expect(try await outcome.value == 1)
        #expect(patient.commits == 1, "one transaction for both")

        let brief = GroupCommitWriter(
            pool: store.pool, log: try WALFileSync(databasePath: path), companyWait: .milliseconds(20))
        #expect(try await brief.write(mayWait: true) { db in try Int.fetchOne(db, sql: "SELECT 3") } == 3)
        #expect(brief.commits == 1)
    }

    /// An intake that finds the writer idle commits on its own thread, with the page outcomes
    /// waiting for company. Should one of them roll the transaction back, each goes again alone
    /// (on the writer's queue): the intake is still recorded, the outcome is told it failed.
    @Test func anIntakeCommittedOnArrivalIsRecordedThoughAnOutcomeInItsTransactionRolledItBack() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let patient = GroupCommitWriter(
            pool: store.pool, log: try WALFileSync(databasePath: path), companyWait: .seconds(600))
        try await patient.write { db in try db.execute(sql: "CREATE TABLE scratch (x)") }
        let outcome = Task { try await patient.write(mayWait: true) { db in try db.execute(sql: "ROLLBACK") } }
        try await waitUntil(patient, queued: 1)
        let commitsBefore = patient.commits
        try await patient.write(
            handingOver: { db, _ in try db.execute(sql: "INSERT INTO scratch VALUES (1)") }, onCallerIfIdle: true)
        await #expect(throws: (any Error).self) { try await outcome.value }
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") } == 1)
        #expect(patient.commits - commitsBefore == 3, "the shared transaction, then each write alone")
    }

    /// What a write hands over may be started on the writer's thread only when the writer had
    /// nothing else to do: a lone crisis after a quiet spell, not one of a burst.
    @Test func aWriteSaysWhetherTheWriterWasIdleForItAndQueuedWritesSayItWasNot() async throws {
        let store = try SQLiteCrisisStore(path: path)
        #expect(try await store.writer.write(handingOver: { _, status in status.writerWasIdle }))

        let (release, held) = try await holdWriter(store)
        defer { release() }
        async let first = store.writer.write(handingOver: { _, status in status.writerWasIdle })
        async let second = store.writer.write(handingOver: { _, status in status.writerWasIdle })
        try await waitUntil(store, queued: 2)
        release()
        #expect(try await [first, second] == [false, false], "two that queued behind a busy writer")
        try await held.value

        // A page's outcome waiting for company does not make the intake that finds it busy.
        let patient = GroupCommitWriter(
            pool: store.pool, log: try WALFileSync(databasePath: path), companyWait: .seconds(600))
        let outcome = Task {
            try await patient.write(handingOver: { _, status in status.writerWasIdle }, mayWait: true)
        }
        try await waitUntil(patient, queued: 1)
        #expect(try await patient.write(handingOver: { _, status in status.writerWasIdle }))
        #expect(try await outcome.value)
        #expect(patient.commits == 1)
    }

    @Test func eachCommitIsTimedForTheMetrics() async throws {
        let timings = Mutex<[Duration]>([])
        let store = try SQLiteCrisisStore(
            path: path, commitTimed: { duration in timings.withLock { $0.append(duration) } })
        _ = try await store.record(draft(1))
        _ = try await store.record(draft(2))
        let recorded = timings.withLock { $0 }
        #expect(recorded.count == store.writer.commits)
        #expect(recorded.count >= 2, "one transaction at least for each intake made one after the other")
        #expect(recorded.allSatisfy { $0 > .zero })
    }
}
