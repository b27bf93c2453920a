/// One value of a TOML file, as `TOMLParser` reads it.
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// An offset or local date-time, a local date or a local time, kept as written: the config
    /// takes its times as quoted strings and only needs to tell the user when one is not.
    case dateTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    public var int: Int? {
        if case .integer(let number) = self { number } else { nil }
    }

    public var bool: Bool? {
        if case .boolean(let flag) = self { flag } else { nil }
    }

    public var array: [TOMLValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    public var table: TOMLTable? {
        if case .table(let table) = self { table } else { nil }
    }
}
