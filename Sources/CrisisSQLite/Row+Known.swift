import CrisisCore
import CrisisStorage
import GRDB

/// Reading a stored raw value this build may not know, as `UnreadableValue` naming the row.
extension Row {
    /// A column holding a raw value, such as a kind or a category.
    /// - Parameter id: the row's id (its rowid where the table has no id column), for the error.
    func known<T: RawRepresentable>(_ column: String, in table: String, row id: Int64) throws(UnreadableValue) -> T
    where T.RawValue == String {
        try Self.known(self[column], column, in: table, row: id)
    }

    /// `known` for the column at `index` (named `column` in the error).
    func known<T: RawRepresentable>(at index: Int, _ column: String, in table: String, row id: Int64)
        throws(UnreadableValue) -> T
    where T.RawValue == String {
        try Self.known(self[index], column, in: table, row: id)
    }

    /// `knownOrNil` for the column at `index` (named `column` in the error).
    func knownOrNil<T: RawRepresentable>(at index: Int, _ column: String, in table: String, row id: Int64)
        throws(UnreadableValue) -> T?
    where T.RawValue == String {
        let stored: DatabaseValue = self[index]
        guard !stored.isNull else { return nil }
        return try Self.known(stored, column, in: table, row: id) as T
    }

    private static func known<T: RawRepresentable>(
        _ stored: DatabaseValue, _ column: String, in table: String, row id: Int64
    ) throws(UnreadableValue) -> T where T.RawValue == String {
        // Read as a database value: a NULL or a number where text belongs is unreadable too,
        // where decoding it as a String would stop the process.
        guard case .string(let text) = stored.storage else {
            throw UnreadableValue(table: table, row: id, column: column, value: stored.isNull ? "NULL" : "\(stored)")
        }
        guard let value = T(rawValue: text) else {
            throw UnreadableValue(table: table, row: id, column: column, value: text)
        }
        return value
    }

    /// `known` for a column that may be NULL.
    func knownOrNil<T: RawRepresentable>(
        _ column: String, in table: String, row id: Int64
    ) throws(UnreadableValue) -> T? where T.RawValue == String {
        guard !(self[column] as DatabaseValue).isNull else { return nil }
        return try known(column, in: table, row: id) as T
    }

    /// A column holding a crisis reference such as `CR-7K4P`, or NULL.
    func reference(_ column: String, in table: String, row id: Int64) throws(UnreadableValue) -> CrisisReference? {
        guard let text: String = self[column] else { return nil }
        guard let reference = CrisisReference(parsing: text) else {
            throw UnreadableValue(table: table, row: id, column: column, value: text)
        }
        return reference
    }
}
