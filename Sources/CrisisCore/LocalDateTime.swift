import Foundation

/// A wall-clock time with no zone, as an administrator writes it in the rota: `2026-11-02T08:00`.
public struct LocalDateTime: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// Accepts `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM` and `YYYY-MM-DD` (midnight).
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "T" || $0 == " " })
        guard (1...2).contains(parts.count) else { return nil }
        let date = parts[0].split(separator: "-")
        guard date.count == 3, date[0].count == 4, let y = Int(date[0]), let m = Int(date[1]), let d = Int(date[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var h = 0
        var mi = 0
        if parts.count == 2 {
            let time = parts[1].split(separator: ":")
            guard (2...3).contains(time.count), let hh = Int(time[0]), let mm = Int(time[1]), (0...23).contains(hh),
                (0...59).contains(mm)
            else { return nil }
            if time.count == 3 { guard let ss = Int(time[2]), ss == 0 else { return nil } }
            h = hh
            mi = mm
        }
        self.init(year: y, month: m, day: d, hour: h, minute: mi)
        // Reject dates such as 2026-02-30 that a calendar would silently roll over.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let probe = calendar.date(from: components),
            calendar.component(.day, from: probe) == d
        else { return nil }
    }

    public var components: DateComponents {
        DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// The instant this wall-clock time names in `timeZone`.
    ///
    /// A time that does not exist (skipped by a spring-forward) moves forward by the gap; a time
    /// that exists twice (the fall-back hour) is taken at its first occurrence.
    public func instant(in timeZone: TimeZone) -> Date {
        Calendar.gregorian(in: timeZone).date(from: components)!
    }

    public var description: String {
        String(format: "%04d-%02d-%02dT%02d:%02d", year, month, day, hour, minute)
    }
}

extension Calendar {
    public static func gregorian(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
