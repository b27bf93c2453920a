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
        try await pool.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let reference {
                clauses.append("reference = ?")
                _ = arguments.append(contentsOf: [reference.rawValue])
            }
            if let since {
                clauses.append("at >= ?")
                _ = arguments.append(contentsOf: [since.stored])
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [limit])
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM (SELECT * FROM journal \(filter) ORDER BY id DESC LIMIT ?) ORDER BY id"),
                arguments: arguments)
            return try rows.map { row in
                let id: Int64 = row["id"]
                return JournalEntry(
                    id: id, at: row["at"], reference: try row.reference("reference", in: "journal", row: id),
                    kind: try row.known("kind", in: "journal", row: id), actor: row["actor"],
                    data: Self.decodeMap(row["data"]))
            }
        }
    }

    static func append(_ db: Database, _ entries: [JournalEntry]) throws {
        // One statement for the lot (an intake writes eight or so): SQLite gives the rows their ids
        // in the order of the values, and each statement run costs as much as a row.
        for batch in stride(from: 0, to: entries.count, by: journalRowsPerStatement) {
            let rows = entries[batch..<min(batch + journalRowsPerStatement, entries.count)]
            var arguments: [(any DatabaseValueConvertible)?] = []
            arguments.reserveCapacity(rows.count * 5)
            for entry in rows {
                arguments += [
                    entry.at.stored, entry.reference?.rawValue, entry.kind.rawValue, entry.actor, encodeMap(entry.data),
                ]
            }
            let values = Array(repeating: "(?, ?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
            try db.cachedStatement(sql: "INSERT INTO journal (at, reference, kind, actor, data) VALUES \(values)")
                .execute(arguments: StatementArguments(arguments))
        }
    }

    /// Rows per INSERT at most: a handful of statements to cache, well under SQLite's limit of
    /// bound values.
    private static let journalRowsPerStatement = 16
}
