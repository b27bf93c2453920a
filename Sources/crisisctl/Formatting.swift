import CrisisCore
import CrisisSystemd
import Foundation

/// How crisisctl shows times: local to the rota's zone, with the time left where it matters.
struct Formatting {
    let timeZone: TimeZone
    let now: Date

    func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: date)
    }

    func left(_ due: Date) -> String {
        // Never overstate the time left: round towards the deadline.
        let interval = due.timeIntervalSince(now)
        return interval >= 0
            ? "in \(Self.span(Int(interval.rounded(.down))))" : "overdue by \(Self.span(Int((-interval).rounded(.up))))"
    }

    static func span(_ seconds: Int) -> String {
        let h = seconds / 3600
        let m = (seconds % 3600) / 60
        let s = seconds % 60
        if h > 0 { return "\(h)h\(String(format: "%02d", m))m" }
        if m > 0 { return "\(m)m\(String(format: "%02d", s))s" }
        return "\(s)s"
    }

    func clock(_ clock: ResponseClock) -> String {
        let name = pad(clock.label, 12)
        if let outcome = clock.outcome, let ended = clock.endedAt {
            let who = clock.endedBy.map { " by \($0)" } ?? ""
            let why = clock.reason.map { ": \($0)" } ?? ""
            return "\(name) \(outcome.rawValue.uppercased()) at \(time(ended))\(who) (due \(time(clock.dueAt)))\(why)"
        }
        return "\(name) by \(time(clock.dueAt)) (\(left(clock.dueAt)))"
    }

    func journal(_ entry: JournalEntry) -> String {
        let data = entry.data.keys.sorted().map { key in "\(key)=\(JournalStreamLogHandler.quoted(entry.data[key]!))" }
            .joined(separator: " ")
        return
            "\(time(entry.at))  \(entry.reference?.rawValue ?? "-------")  \(pad(entry.kind.rawValue, 21)) \(entry.actor)  \(data)"
    }
}

/// Pads to a column width, never cutting the text.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

/// Writes to standard error: messages for the person, kept apart from output for scripts.
func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func printJSON(_ value: some Encodable) {
    let data = (try? JSONCoding.encoder(pretty: true).encode(value)) ?? Data("{}".utf8)
    print(String(decoding: data, as: UTF8.self))
}
