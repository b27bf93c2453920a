import Foundation

/// Times and spans as the board shows them, in the config's time zone.
struct BoardFormat {
    let now: Date
    let timeZone: TimeZone

    /// `09:05`.
    func time(_ date: Date) -> String {
        AckPageHTML.clockTime(date, in: timeZone)
    }

    /// `09:05` today, else `Tue 09:05`.
    func dayTime(_ date: Date) -> String {
        let calendar = Calendar.gregorian(in: timeZone)
        guard !calendar.isDate(date, inSameDayAs: now) else { return time(date) }
        let weekday = calendar.component(.weekday, from: date)
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return "\(names[(weekday - 1) % 7]) \(time(date))"
    }

    /// `37 min`, `2 h 5 min`, `under 1 min`.
    static func span(_ seconds: TimeInterval) -> String {
        let minutes = Int((seconds / 60).rounded(.down))
        if minutes < 1 { return "under 1 min" }
        return minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min" : "\(minutes) min"
    }
}
