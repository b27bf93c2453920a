/// A stored value this build does not know: a kind written by a newer crisisd, or a row edited
/// by hand. Reading it as some other value would tell a false story, so the read fails instead,
/// naming the row: `clock row 12: unknown kind "lunch"`.
public struct UnreadableValue: Error, Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var row: Int64
    public var column: String
    public var value: String

    public init(table: String, row: Int64, column: String, value: String) {
        self.table = table
        self.row = row
        self.column = column
        self.value = value
    }

    public var description: String { "\(table) row \(row): unknown \(column) \"\(value)\"" }
}
