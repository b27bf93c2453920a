import Foundation

/// A wall-clock time with no zone, as an administrator writes it in the rota: `2026-11-02T08:00`.
public struct LocalDateTime: Hashable, Sendable, Comparable, CustomStringConvertible {
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
        // Reject dates such as 2026-02-30 that a calendar would silently roll over.
        guard CivilDay.date(CivilDay.number(year: y, month: m, day: d)) == (y, m, d) else { return nil }
        self.init(year: y, month: m, day: d, hour: h, minute: mi)
    }

    /// The wall-clock time `instant` shows in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let local = Int((instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))).rounded(.down))
        let days = Int((Double(local) / 86_400).rounded(.down))
        let (y, m, d) = CivilDay.date(days)
        let seconds = local - days * 86_400
        self.init(year: y, month: m, day: d, hour: seconds / 3600, minute: (seconds % 3600) / 60)
    }

    /// Midnight of the same day.
    public var startOfDay: LocalDateTime { LocalDateTime(year: year, month: month, day: day) }

    var dayNumber: Int { CivilDay.number(year: year, month: month, day: day) }

    /// 1 for Monday … 7 for Sunday.
    public var weekday: Int { CivilDay.weekday(dayNumber) }

    public var minuteOfDay: Int { hour * 60 + minute }

    /// The same wall-clock time `days` calendar days later.
    public func adding(days: Int) -> LocalDateTime {
        let (y, m, d) = CivilDay.date(dayNumber + days)
        return LocalDateTime(year: y, month: m, day: d, hour: hour, minute: minute)
    }

    /// Midnight of the day, plus `minutes` (1440 is the next midnight).
    func at(minute minutes: Int) -> LocalDateTime {
        let (y, m, d) = CivilDay.date(dayNumber + minutes / 1440)
        let rest = minutes % 1440
        return LocalDateTime(year: y, month: m, day: d, hour: rest / 60, minute: rest % 60)
    }

    public var components: DateComponents {
        DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// The instant this wall-clock time names in `timeZone`, by one rule for the DST nights:
    /// **the first instant at which the local clock shows this time or later.**
    ///
    /// So a time the clocks skip (02:30 on a spring-forward night) is the instant they jump
    /// (03:00 CEST in Copenhagen), and a time that happens twice (02:30 on a fall-back night)
    /// is its first occurrence.
    public func instant(in timeZone: TimeZone) -> Date {
        occurrences(in: timeZone)[0]
    }

    /// Every instant at which the local clock shows this time: two in a fall-back hour, one
    /// otherwise, and for a time the clocks skip, the instant they jump.
    public func occurrences(in timeZone: TimeZone) -> [Date] {
        let wall = Double(dayNumber * 86_400 + hour * 3600 + minute * 60)
        func offset(_ t: Double) -> Double { Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: t))) }
        let offsets = Set([offset(wall - 86_400), offset(wall), offset(wall + 86_400)])
        let exact = offsets.map { wall - $0 }.filter { offset($0) == wall - $0 }.sorted()
        if !exact.isEmpty { return exact.map { Date(timeIntervalSince1970: $0) } }
        // Skipped by a spring-forward: find the jump, the first instant whose local reading is later.
        var low = wall - offsets.max()! - 1
        var high = wall - offsets.min()! + 1
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if middle + offset(middle) >= wall { high = middle } else { low = middle }
        }
        return [Date(timeIntervalSince1970: high)]
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.dayNumber, lhs.minuteOfDay) < (rhs.dayNumber, rhs.minuteOfDay)
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
