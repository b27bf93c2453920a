/// When a restricted layer is on duty: `Mon-Fri 08:00-16:00`, `Mon-Fri 16:00-08:00` (over
/// midnight, into the next morning), `Sat,Sun 00:00-24:00`, `daily 22:00-06:00`.
///
/// Windows are read on the local wall clock, so 08:00-16:00 stays 08:00-16:00 across DST.
public struct ActiveWindow: Hashable, Sendable, CustomStringConvertible {
    /// The days a window starts on, 1 for Monday … 7 for Sunday.
    public var days: Set<Int>
    public var start: Int
    /// Minutes after midnight; at or before `start`, the window runs on into the next day.
    public var end: Int
    let text: String

    public init?(parsing text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        var days = Set<Int>()
        if parts[0].lowercased() == "daily" {
            days = Set(1...7)
        } else {
            for piece in parts[0].split(separator: ",") {
                let range = piece.split(separator: "-")
                guard (1...2).contains(range.count), let first = WeeklyTime.weekday(range[0]) else { return nil }
                let last = range.count == 2 ? WeeklyTime.weekday(range[1]) : first
                guard let last else { return nil }
                var day = first
                while true {
                    days.insert(day)
                    if day == last { break }
                    day = day % 7 + 1
                }
            }
        }
        let times = parts[1].split(separator: "-")
        guard times.count == 2, let start = WeeklyTime.minutes(times[0]),
            let end = WeeklyTime.minutes(times[1], allowMidnightEnd: true), start != end || start == 0
        else { return nil }
        self.days = days
        self.start = start
        self.end = end
        self.text = text
    }

    var crossesMidnight: Bool { end <= start }

    /// Whether a wall-clock reading falls in the window.
    public func contains(_ local: LocalDateTime) -> Bool {
        let minute = local.minuteOfDay
        let today = local.weekday
        let yesterday = today == 1 ? 7 : today - 1
        if crossesMidnight {
            return (days.contains(today) && minute >= start) || (days.contains(yesterday) && minute < end)
        }
        return days.contains(today) && minute >= start && minute < end
    }

    /// The wall-clock times at which the window opens or closes on the day `day` starts.
    func edges(startingOn day: LocalDateTime) -> [LocalDateTime] {
        guard days.contains(day.weekday) else { return [] }
        let endMinute = crossesMidnight ? end + 1440 : end
        return [day.at(minute: start), day.at(minute: endMinute)]
    }

    public var description: String { text }
}
