import CrisisCore
import CrisisStorage
import Foundation
import Testing

@testable import CrisisSQLite

/// Intakes that arrive together are committed together: one sync to disk for many crises, and
/// each caller answered only once the transaction holding its crisis has committed.
@Suite struct GroupCommitTests {
    let path = URL(fileURLWithPath: NSTemporaryDirectory())
        .appendingPathComponent("group-\(UUID().uuidString.prefix(8)).sqlite").path
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

    @Test func concurrentIntakesShareCommitsAndEachIsReadableWhenAnswered() async throws {
        let store = try SQLiteCrisisStore(path: path)
        let count = 64
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<count {
                group.addTask {
                    let result = try await store.record(draft(n))
                    guard case .created(let view) = result else { throw CancellationError() }
                    // Answered only after the commit: another connection sees it at once.
                    let other = try SQLiteCrisisStore(path: path)
                    #expect(try await other.crisis(view.reference) != nil)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.count() == count)
        let commits = store.writer.commits
        #expect(commits < count / 2, "\(count) intakes at once took \(commits) commits: they were not grouped")
    }

    @Test func aWriteThatFailsInAGroupUndoesOnlyItselfAndTheOthersCommit() async throws {
        let store = try SQLiteCrisisStore(path: path)
        _ = try await store.record(draft(0, reference: "CR-7K4P"))
        let results = await withTaskGroup(of: Bool.self) { group in
            for n in 1...20 {
                // Every fifth takes a reference in use: it alone is refused.
                let reference = n % 5 == 0 ? "CR-7K4P" : nil
                group.addTask { (try? await store.record(draft(n, reference: reference))) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 16)
        #expect(try await store.count() == 17)
        #expect(try await store.journal().count == 17, "the refused ones left no journal entry")
    }
}
