/// A TOML table: its keys in the order the file gives them, and their values.
public struct TOMLTable: Equatable, Sendable {
    public let keys: [String]
    private let values: [String: TOMLValue]

    public init(_ pairs: [(String, TOMLValue)] = []) {
        var keys: [String] = []
        var values: [String: TOMLValue] = [:]
        for (key, value) in pairs where values.updateValue(value, forKey: key) == nil {
            keys.append(key)
        }
        self.keys = keys
        self.values = values
    }

    public subscript(key: String) -> TOMLValue? { values[key] }
}
