/// A hand-off time: `Mon 08:00` once a week, or `08:00` every day.
public struct WeeklyTime: Hashable, Sendable, CustomStringConvertible {
    /// 1 for Monday … 7 for Sunday; nil for every day.
    public var weekday: Int?
    public var minuteOfDay: Int

    public init(weekday: Int?, hour: Int, minute: Int) {
        self.weekday = weekday
        self.minuteOfDay = hour * 60 + minute
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    static func weekday(_ text: Substring) -> Int? {
        let key = text.lowercased().prefix(3)
        return dayNames.firstIndex(of: String(key)).map { $0 + 1 }
    }

    static func minutes(_ text: Substring, allowMidnightEnd: Bool = false) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...59).contains(m)
        else {
            return nil
        }
        if allowMidnightEnd && h == 24 && m == 0 { return 1440 }
        guard (0...23).contains(h) else { return nil }
        return h * 60 + m
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        switch parts.count {
        case 1:
            guard let minutes = Self.minutes(parts[0]) else { return nil }
            self.init(weekday: nil, hour: minutes / 60, minute: minutes % 60)
        case 2:
            guard let day = Self.weekday(parts[0]), parts[0].count >= 3, let minutes = Self.minutes(parts[1]) else {
                return nil
            }
            self.init(weekday: day, hour: minutes / 60, minute: minutes % 60)
        default:
            return nil
        }
    }

    public var description: String {
        let time = String(format: "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60)
        guard let weekday else { return time }
        return Self.dayNames[weekday - 1].capitalized + " " + time
    }
}
