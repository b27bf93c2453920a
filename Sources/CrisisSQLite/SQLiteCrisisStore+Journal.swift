import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// The journal: appended in the transaction of the write it records, read back in order.
extension SQLiteCrisisStore {
    /// Appends entries that belong to no other write (daemon start, config loaded).
    public func append(_ entries: [JournalEntry]) async throws {
        try await writer.write { db in try Self.append(db, entries) }
    }

    /// Journal entries in order, optionally for one crisis and from an instant on.
    public func journal(reference: CrisisReference? = nil, since: Date? = nil, limit: Int = 10_000) async throws
        -> [JournalEntry]
    {
        let query = Self.journalQuery(reference: reference, since: since, limit: limit)
        return try await pool.read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: query.sql), arguments: query.arguments)
            return try rows.map { row in
                let id: Int64 = row["id"]
                return JournalEntry(
                    id: id, at: row["at"], reference: try row.reference("reference", in: "journal", row: id),
                    kind: try row.known("kind", in: "journal", row: id), actor: row["actor"],
                    data: Self.decodeMap(row["data"]))
            }
        }
    }

    /// The newest `limit` entries, optionally of one crisis and from an instant on, oldest first.
    static func journalQuery(reference: CrisisReference?, since: Date?, limit: Int) -> (
        sql: String, arguments: StatementArguments
    ) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let reference {
            // By the crisis's id, which the index holds in order: an entry naming a reference
            // that is no crisis's (none is written so) belongs to no crisis's journal.
            clauses.append("crisis_id = (SELECT id FROM crisis WHERE reference = ?)")
            _ = arguments.append(contentsOf: [reference.rawValue])
        }
        if let since {
            clauses.append("at >= ?")
            _ = arguments.append(contentsOf: [since.stored])
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        _ = arguments.append(contentsOf: [limit])
        return ("SELECT * FROM (SELECT * FROM journal \(filter) ORDER BY id DESC LIMIT ?) ORDER BY id", arguments)
    }

    /// - Parameter crisis: the crisis the write has at hand (its row just written or read), whose
    ///   id need not be looked up again.
    static func append(
        _ db: Database, _ entries: [JournalEntry], of crisis: (reference: CrisisReference, id: Int64)? = nil
    ) throws {
        // Each entry names its crisis by id too, for the index (migration v6): looked up once per
        // crisis, as the entries of one write are nearly always one crisis's.
        var crisisIDs: [String: Int64?] = [:]
        if let crisis { crisisIDs[crisis.reference.rawValue] = crisis.id }
        for reference in Set(entries.compactMap(\.reference?.rawValue)) where crisisIDs[reference] == nil {
            crisisIDs[reference] = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM crisis WHERE reference = ?"), arguments: [reference])
        }
        // One statement for the lot (an intake writes eight or so): SQLite gives the rows their ids
        // in the order of the values, and each statement run costs as much as a row.
        for batch in stride(from: 0, to: entries.count, by: journalRowsPerStatement) {
            let rows = entries[batch..<min(batch + journalRowsPerStatement, entries.count)]
            var arguments: [(any DatabaseValueConvertible)?] = []
            arguments.reserveCapacity(rows.count * 6)
            for entry in rows {
                let reference = entry.reference?.rawValue
                arguments += [
                    entry.at.stored, reference, reference.flatMap { crisisIDs[$0] ?? nil }, entry.kind.rawValue,
                    entry.actor, encodeMap(entry.data),
                ]
            }
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
            try db.cachedStatement(
                sql: "INSERT INTO journal (at, reference, crisis_id, kind, actor, data) VALUES \(values)"
            ).execute(arguments: StatementArguments(arguments))
        }
    }

    /// Rows per INSERT at most: a handful of statements to cache, well under SQLite's limit of
    /// bound values.
    private static let journalRowsPerStatement = 16
}
