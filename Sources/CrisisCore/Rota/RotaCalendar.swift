import Foundation

/// Shifts as an iCalendar file (RFC 5545), for the psychologists' own calendar apps.
///
/// Times are written in UTC (`DTSTART:20261130T070000Z`), which every client shows in its own
/// zone; each stretch of duty is one event whose UID stays the same across downloads.
public enum RotaCalendar {
    /// A person's (or everyone's) shifts from a week ago to 13 weeks ahead of `now`.
    public static func feed(rota: Rota, person: String?, now: Date) -> String {
        let from = now - 7 * 86_400
        let duties = rota.targets.flatMap { rota.timeline($0, from: from, to: now + 13 * 7 * 86_400) }
            .filter { person == nil || $0.person == person }
            .sorted { ($0.start, $0.target) < ($1.start, $1.target) }
            .map { duty in
                // A stretch cut off by the start of the range keeps its real start, so its UID
                // stays the same from one download to the next.
                guard duty.start == from, let whole = rota.stretch(duty.target, around: from),
                    whole.start != .distantPast
                else { return duty }
                var extended = duty
                extended.start = whole.start
                return extended
            }
        return ics(duties, rota: rota, generatedAt: now, name: "crisisd rota" + (person.map { " (\($0))" } ?? ""))
    }

    public static func ics(_ duties: [Duty], rota: Rota, generatedAt: Date, name: String) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//crisisd//rota//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:\(escape(name))",
        ]
        for duty in duties {
            guard let person = duty.person else { continue }
            let who = rota.people[person]?.name ?? person
            lines += [
                "BEGIN:VEVENT",
                "UID:\(duty.target)-\(person)-\(Int(duty.start.timeIntervalSince1970))@crisisd",
                "DTSTAMP:\(stamp(generatedAt))",
                "DTSTART:\(stamp(duty.start))",
                "DTEND:\(stamp(duty.end))",
                "SUMMARY:\(escape("On call: \(duty.target) (\(who))"))",
                "DESCRIPTION:\(escape("crisisd rota: \(who) is on duty on \(duty.target)."))",
                "TRANSP:OPAQUE",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func stamp(_ date: Date) -> String {
        let local = LocalDateTime(date, in: TimeZone(secondsFromGMT: 0)!)
        let second = Int(date.timeIntervalSince1970.rounded(.down)) % 60
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", local.year, local.month, local.day, local.hour, local.minute,
            (second + 60) % 60)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets continue on the next line after a space (RFC 5545, 3.1).
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
