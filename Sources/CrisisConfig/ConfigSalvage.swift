import CrisisCore
import Foundation

/// What can still be read from a config file that does not load: where the daemon listens and
/// whom to phone. From a TOML table it takes the fields as written; from a text that is not
/// TOML it takes `key = "value"` lines under the headers they follow, so one broken line does
/// not hide the phone numbers around it.
struct ConfigSalvage {
    var timeZone: String?
    var stateDir: String?
    var socket: String?
    /// People with a plausible phone number, in file order; the name falls back to the id.
    var people: [Person] = []

    init(_ table: TOMLTable) {
        timeZone = table["timezone"]?.string
        stateDir = table["state_dir"]?.string
        socket = table["control"]?.table?["socket"]?.string
        for entry in table["people"]?.array ?? [] {
            guard let person = entry.table else { continue }
            add(id: person["id"]?.string, name: person["name"]?.string, phone: person["phone"]?.string)
        }
    }

    init(scanning text: String) {
        var section = ""
        var people: [[String: String]] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                // A header too broken to name its table leaves the lines after it where they were.
                if let (name, arrayOfTables) = Self.header(line) {
                    section = name
                    if arrayOfTables && name == "people" { people.append([:]) }
                }
                continue
            }
            guard let (key, value) = Self.quotedAssignment(line) else { continue }
            switch (section, key) {
            case ("", "timezone"): timeZone = value
            case ("", "state_dir"): stateDir = value
            case ("control", "socket"): socket = value
            case ("people", _) where !people.isEmpty && people[people.count - 1][key] == nil:
                people[people.count - 1][key] = value
            default: break
            }
        }
        for person in people { add(id: person["id"], name: person["name"], phone: person["phone"]) }
    }

    private mutating func add(id: String?, name: String?, phone: String?) {
        guard let phone, PhoneNumber.isPlausible(phone), let name = name ?? id else { return }
        people.append(Person(id: id ?? name, name: name, phone: phone, contacts: []))
    }

    /// `[name]` or `[[name]]`; nil for a line too broken to say which table follows.
    static func header(_ line: String) -> (String, Bool)? {
        let arrayOfTables = line.hasPrefix("[[")
        let rest = line.dropFirst(arrayOfTables ? 2 : 1)
        guard let close = rest.firstIndex(of: "]") else { return nil }
        let name = rest[..<close].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }),
            !arrayOfTables || rest[close...].hasPrefix("]]")
        else { return nil }
        return (name, arrayOfTables)
    }

    /// `key = "value"` or `key = 'value'`, leniently: a bare key, the text up to the closing quote.
    static func quotedAssignment(_ line: String) -> (String, String)? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else {
            return nil
        }
        let rest = line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let body = rest.dropFirst()
        guard let close = body.firstIndex(of: quote) else { return nil }
        return (key, String(body[..<close]))
    }
}
