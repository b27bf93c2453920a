import CrisisCore

/// Reads one TOML table field by field, noting every problem with its place and every key it
/// does not know, so a typo such as `listne` is reported rather than silently ignored.
final class TableReader {
    let table: TOMLTable
    let place: String
    private let sink: IssueSink
    private var read: Set<String> = []

    init(_ table: TOMLTable, place: String, sink: IssueSink) {
        self.table = table
        self.place = place
        self.sink = sink
    }

    func path(_ key: String) -> String { place.isEmpty ? key : "\(place).\(key)" }

    func issue(_ key: String, _ message: String) { sink.add(ConfigIssue(path(key), message)) }

    func has(_ key: String) -> Bool { table[key] != nil }

    private func value(_ key: String) -> TOMLValue? {
        read.insert(key)
        return table[key]
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key) else {
            if required { issue(key, "is required") }
            return nil
        }
        guard let text = value.string else {
            issue(key, "must be a string, not \(describe(value))")
            return nil
        }
        return text
    }

    func int(_ key: String) -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = value.int else {
            issue(key, "must be a whole number, not \(describe(value))")
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.bool else {
            issue(key, "must be true or false, not \(describe(value))")
            return nil
        }
        return flag
    }

    func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let value = value(key) else {
            if required { issue(key, "is required") }
            return nil
        }
        guard let array = value.array else {
            issue(key, "must be a list of strings, not \(describe(value))")
            return nil
        }
        var result: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.string else {
                sink.add(ConfigIssue("\(path(key))[\(index)]", "must be a string, not \(describe(element))"))
                continue
            }
            result.append(text)
        }
        return result
    }

    func span(_ key: String, default fallback: TimeSpan) -> TimeSpan {
        guard let text = string(key) else { return fallback }
        guard let span = TimeSpan(parsing: text) else {
            issue(key, "\"\(text)\" is not a duration (use 500ms, 30s, 5m, 1h, 2d or 1h30m)")
            return fallback
        }
        return span
    }

    func table(_ key: String) -> TableReader? {
        guard let value = value(key) else { return nil }
        guard let child = value.table else {
            issue(key, "must be a table ([\(path(key))]), not \(describe(value))")
            return nil
        }
        return TableReader(child, place: path(key), sink: sink)
    }

    /// `[[key]]` arrays of tables, each read with its index in the place: `people[2]`.
    func tables(_ key: String) -> [TableReader] {
        guard let value = value(key) else { return [] }
        guard let array = value.array else {
            issue(key, "must be a list of tables ([[\(path(key))]]), not \(describe(value))")
            return []
        }
        var readers: [TableReader] = []
        for (index, element) in array.enumerated() {
            guard let child = element.table else {
                sink.add(ConfigIssue("\(path(key))[\(index)]", "must be a table, not \(describe(element))"))
                continue
            }
            readers.append(TableReader(child, place: "\(path(key))[\(index)]", sink: sink))
        }
        return readers
    }

    /// For readers of values nested in lists, which report into the same load.
    var sinkForChildren: IssueSink { sink }

    func raw(_ key: String) -> TOMLValue? { value(key) }

    /// Reports the keys present in the table that nothing asked for.
    func rejectUnknownKeys() {
        for key in table.keys.sorted() where !read.contains(key) {
            issue(key, "unknown key")
        }
    }
}

func describe(_ value: TOMLValue) -> String {
    switch value {
    case .string: "a string"
    case .integer: "a number"
    case .float: "a decimal number"
    case .boolean: "a boolean"
    case .array: "a list"
    case .table: "a table"
    case .dateTime: "a date or time"
    }
}

/// Collects the issues of one load.
final class IssueSink {
    private(set) var issues: [ConfigIssue] = []
    func add(_ issue: ConfigIssue) { issues.append(issue) }
}
