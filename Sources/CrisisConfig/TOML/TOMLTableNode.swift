/// A table while its file is being read. It remembers how it came to exist, because TOML lets
/// a header define a table once, lets dotted keys extend only the tables they made, and never
/// lets a table written inline change afterwards.
final class TOMLTableNode {
    enum Origin {
        /// Made as the parent of a header (`a` of `[a.b]`): a later `[a]` may still define it.
        case implicit
        /// Defined by its own header, or the root, or an inline table being read.
        case header
        /// Made by a dotted key such as `a.b = 1`.
        case dottedKeys
    }

    enum Entry {
        case value(TOMLValue)
        case table(TOMLTableNode)
        case arrayOfTables([TOMLTableNode])
    }

    /// A reason a key cannot take what the file gives it; the parser adds the place.
    struct Conflict: Error {
        let reason: String
    }

    private(set) var origin: Origin
    private var keys: [String] = []
    private var entries: [String: Entry] = [:]

    init(_ origin: Origin) { self.origin = origin }

    private func add(_ key: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: key) == nil { keys.append(key) }
    }

    /// The table a `[keys]` or `[[keys]]` header opens: later key/value lines go into it.
    func open(header keys: [String], arrayOfTables: Bool) throws(Conflict) -> TOMLTableNode {
        var node = self
        for (index, key) in keys.dropLast().enumerated() {
            let name = Self.name(keys.prefix(index + 1))
            switch node.entries[key] {
            case nil:
                let child = TOMLTableNode(.implicit)
                node.add(key, .table(child))
                node = child
            case .table(let child):
                node = child
            case .arrayOfTables(let elements):
                // `[[a]]` then `[a.b]`: b belongs to the latest element of a.
                node = elements[elements.count - 1]
            case .value(let value):
                throw Conflict(
                    reason: "\(name) is already \(Self.kind(value)), so [\(Self.name(keys))] cannot go in it")
            }
        }
        let key = keys[keys.count - 1]
        let name = Self.name(keys)
        switch (node.entries[key], arrayOfTables) {
        case (nil, _):
            let child = TOMLTableNode(.header)
            node.add(key, arrayOfTables ? .arrayOfTables([child]) : .table(child))
            return child
        case (.arrayOfTables(let elements), true):
            let child = TOMLTableNode(.header)
            node.entries[key] = .arrayOfTables(elements + [child])
            return child
        case (.table(let child), false) where child.origin == .implicit:
            child.origin = .header
            return child
        case (.table(let child), false) where child.origin == .dottedKeys:
            throw Conflict(
                reason: "\(name) was already made a table by dotted keys, so [\(name)] cannot define it again")
        case (.table, false):
            throw Conflict(reason: "the table [\(name)] is defined twice")
        case (.table, true):
            throw Conflict(reason: "\(name) is already a table, so [[\(name)]] cannot make it a list of tables")
        case (.arrayOfTables, false):
            throw Conflict(reason: "\(name) is a list of tables ([[\(name)]]), so [\(name)] cannot define it")
        case (.value(let value), _):
            throw Conflict(reason: "\(name) is already \(Self.kind(value)), so it cannot be a table too")
        }
    }

    /// `keys = value`, in this table: a dotted key makes (or reuses) the tables before its
    /// last part. `place` is this table's own key, for messages.
    func assign(_ keys: [String], _ value: TOMLValue, place: [String] = []) throws(Conflict) {
        var node = self
        for (index, key) in keys.dropLast().enumerated() {
            let name = Self.name(place + keys.prefix(index + 1))
            switch node.entries[key] {
            case nil:
                let child = TOMLTableNode(.dottedKeys)
                node.add(key, .table(child))
                node = child
            case .table(let child) where child.origin == .dottedKeys:
                node = child
            case .table:
                throw Conflict(
                    reason:
                        "\(name) is a table defined by a header, so the dotted key \(Self.name(keys)) cannot add to it")
            case .arrayOfTables:
                throw Conflict(
                    reason: "\(name) is a list of tables, so the dotted key \(Self.name(keys)) cannot add to it")
            case .value(let value):
                throw Conflict(
                    reason:
                        "\(name) is already \(Self.kind(value)), so the dotted key \(Self.name(keys)) cannot add to it")
            }
        }
        let key = keys[keys.count - 1]
        guard node.entries[key] == nil else {
            throw Conflict(reason: "the key \(Self.name(place + keys)) is defined twice")
        }
        node.add(key, .value(value))
    }

    /// The finished table. Nesting is bounded by the parser, so the recursion is too.
    func table() -> TOMLTable {
        TOMLTable(
            keys.map { key in
                switch entries[key]! {
                case .value(let value): (key, value)
                case .table(let child): (key, .table(child.table()))
                case .arrayOfTables(let elements): (key, .array(elements.map { .table($0.table()) }))
                }
            })
    }

    /// A dotted key as the file would write it, quoting the parts that are not bare.
    static func name(_ keys: some Collection<String>) -> String {
        keys.map { key in
            if !key.isEmpty && key.utf8.allSatisfy(TOMLParser.isBareKeyByte) { return key }
            // Escaped, so that a message about the key stays on one line.
            var quoted = "\""
            for scalar in key.unicodeScalars {
                switch scalar {
                case "\"", "\\": quoted += "\\\(scalar)"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    quoted += "\\u" + String(scalar.value, radix: 16, uppercase: true).paddedHex
                default: quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }

    private static func kind(_ value: TOMLValue) -> String {
        switch value {
        case .string: "a string"
        case .integer: "a number"
        case .float: "a decimal number"
        case .boolean: "a boolean"
        case .dateTime: "a date or time"
        case .array: "a list"
        case .table: "a table written inline"
        }
    }
}
