import CrisisCore
import CrisisSQLite
import CrisisStorage
import CrisisTesting
import Foundation
import Synchronization
import Testing

/// The implementations of `CrisisStore` the contract suite runs against. Each test takes one as
/// its argument and speaks only the port, so a new store (PostgreSQL) joins by adding a case.
enum StoreUnderTest: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case inMemory

    var testDescription: String { rawValue }

    /// A new, empty store.
    func make() async throws -> any CrisisStore {
        switch self {
        case .sqlite:
            let folder = TestFolder.unique("contract")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try await SQLiteCrisisStore.open(path: folder.appendingPathComponent("crisisd.sqlite").path)
        case .inMemory:
            return InMemoryCrisisStore()
        }
    }
}

/// Crises, instants and policies the contract tests share. Every instant is a whole second: the
/// SQLite store keeps dates to the millisecond, PostgreSQL to the microsecond.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    static let retry = RetryPolicy(maxAttempts: 3, initialBackoff: 2, maxBackoff: 300)

    static func reference(_ text: String) -> CrisisReference { CrisisReference(parsing: text)! }

    /// A crisis reported at `receivedAt` (t0 by default): its next escalation step 120 s later,
    /// the ack clock due at +300 s, contact at +3600 s (warned at +2700 s), on site at +4 h.
    static func draft(
        _ reference: String, key: String? = nil, source: String = "requester:albertslund",
        receivedAt: Date = t0, nextStepAfter: TimeInterval? = 120,
        pages: [CrisisDraft.Page] = [CrisisDraft.Page(person: "anna", channel: "anna-sms", step: 0)]
    ) -> CrisisDraft {
        let ref = self.reference(reference)
        let intake = Intake(
            category: .violence, site: "Depot", callback: "+4512345678", requesterName: "Jens Jensen",
            note: "hit on the head")
        return CrisisDraft(
            reference: ref, intake: intake, source: source, idempotencyKey: key, receivedAt: receivedAt,
            assigned: ["anna"], noOneOnDuty: false,
            clocks: ClockPolicy().startClocks(firstContact: receivedAt, group: false),
            progress: EscalationProgress(nextAt: nextStepAfter.map { receivedAt + $0 }), pages: pages,
            journal: [JournalEntry(at: receivedAt, reference: ref, kind: .crisisReceived, actor: source)])
    }

    /// Records a draft that must be new, and returns its view.
    static func record(_ draft: CrisisDraft, in store: any CrisisStore) async throws -> CrisisView {
        guard case .created(let view) = try await store.record(draft) else {
            throw Refusal("\(draft.reference) was not recorded as a new crisis")
        }
        return view
    }

    /// Claims due pages as the sender does, with room for all of them.
    static func claim(
        _ store: any CrisisStore, at now: Date, retry: RetryPolicy = retry, excluding inFlight: Set<Int64> = []
    ) async throws -> [OutboundPage] {
        try await store.claimDuePages(at: now, retry: retry, excluding: inFlight, limit: 100, retryLimit: 100).pages
    }

    /// Journal entries without their store-given ids, to compare with what was written.
    static func written(_ entries: [JournalEntry]) -> [JournalEntry] {
        entries.map { entry in
            var entry = entry
            entry.id = nil
            return entry
        }
    }
}

/// What a test's `decide` closure saw, kept across the store's threads.
final class Seen<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func add(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

/// A test's own refusal: a `decide` closure that throws, or a fixture that did not hold.
struct Refusal: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
