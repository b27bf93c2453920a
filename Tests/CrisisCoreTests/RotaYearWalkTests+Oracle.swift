import CrisisCore
import Foundation

// The oracle RotaYearWalkTests checks the rota against: it reads the wall clock with Foundation's
// Calendar and applies the documented hand-off rule directly (see RotaYearWalkTests.swift).

/// What the wall clock shows: minutes since 1970-01-01 00:00 on the local calendar.
struct Reading {
    var minutes: Int
    var day: Int { Int((Double(minutes) / 1440).rounded(.down)) }
    var text: String { String(format: "%02d:%02d", minutes / 60 % 24, minutes % 60) }
}

/// Reads the wall clock with Foundation's Calendar only.
final class WallClock {
    let calendar: Calendar
    let utcCalendar: Calendar
    private var lastDate: (year: Int, month: Int, day: Int, number: Int) = (0, 0, 0, 0)

    init(_ zone: TimeZone) {
        calendar = .gregorian(in: zone)
        utcCalendar = .gregorian(in: TimeZone(identifier: "UTC")!)
    }

    /// Days since 1970-01-01 of a calendar date.
    func dayNumber(year: Int, month: Int, day: Int) -> Int {
        if (lastDate.year, lastDate.month, lastDate.day) == (year, month, day) { return lastDate.number }
        let midnight = utcCalendar.date(from: DateComponents(year: year, month: month, day: day))!
        let number = Int(midnight.timeIntervalSince1970 / 86_400)
        lastDate = (year, month, day, number)
        return number
    }

    /// 1 for Monday … 7 for Sunday, of a day number.
    func weekday(ofDay number: Int) -> Int {
        let sundayFirst = utcCalendar.component(.weekday, from: Date(timeIntervalSince1970: Double(number) * 86_400))
        return sundayFirst == 1 ? 7 : sundayFirst - 1
    }

    func read(_ instant: Date) -> Reading {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: instant)
        let day = dayNumber(year: parts.year!, month: parts.month!, day: parts.day!)
        let reading = Reading(minutes: day * 1440 + parts.hour! * 60 + parts.minute!)
        precondition(weekday(ofDay: day) == (parts.weekday! == 1 ? 7 : parts.weekday! - 1))
        return reading
    }

    func minutes(_ time: LocalDateTime) -> Int {
        dayNumber(year: time.year, month: time.month, day: time.day) * 1440 + time.hour * 60 + time.minute
    }
}

/// A window that opens on `days` (1 for Monday … 7 for Sunday) at `start` and closes at `end`
/// minutes after that day's midnight, or the next day's when `end` ≤ `start`.
struct OracleWindow {
    var days: Set<Int>
    var start: Int
    var end: Int

    func contains(_ reading: Reading, clock: WallClock) -> Bool {
        // Only a window that opened today or yesterday can be open now.
        for opened in [reading.day, reading.day - 1] where days.contains(clock.weekday(ofDay: opened)) {
            let from = opened * 1440 + start
            let to = opened * 1440 + (end <= start ? end + 1440 : end)
            if from <= reading.minutes && reading.minutes < to { return true }
        }
        return false
    }
}

struct OracleRotation {
    enum Turns {
        /// Hand-offs at wall-clock times: the start and every hand-off after it, in local minutes.
        case wall(start: Int, handoffs: [Int])
        /// Exact elapsed time from an instant.
        case elapsed(origin: Date, seconds: TimeInterval)
    }

    var id: String
    var members: [String]
    var turns: Turns
    var windows: [OracleWindow] = []
}

struct OracleOverride {
    var id: String
    var target: String
    var person: String
    var from: Date
    var to: Date
}

/// Members named by their turn (`weekly#17`), so the person on duty says which turn it is.
private func numbered(_ id: String) -> [String] { (0..<1000).map { "\(id)#\($0)" } }

/// The rota walked, and the same rota written out for the oracle.
struct YearWalkRota {
    let rota: Rota
    let oracles: [OracleRotation]
    let overrides: [OracleOverride]
    let layers = ["small", "day", "night"]
    var targets: [String] { oracles.map(\.id) + ["clinic"] }

    init(_ walk: YearWalkZone, clock: WallClock) {
        let skippedMinute = walk.skipped.hour * 60 + walk.skipped.minute
        let doubledMinute = walk.doubled.hour * 60 + walk.doubled.minute
        func time(_ weekday: Int?, _ minute: Int) -> WeeklyTime {
            WeeklyTime(weekday: weekday, hour: minute / 60, minute: minute % 60)
        }
        func text(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
        let sunday = ActiveWindow(parsing: "Sun \(text(walk.sundayWindow.start))-\(text(walk.sundayWindow.end))")!

        let weeklyStart = LocalDateTime(year: 2027, month: 1, day: 6, hour: 12)  // a Wednesday noon
        let dailyStart = LocalDateTime(year: 2027, month: 1, day: 1, hour: 9)
        let sevensStart = LocalDateTime(
            year: 2027, month: 1, day: 3, hour: walk.doubled.hour, minute: walk.doubled.minute)  // a Sunday
        let halvesStart = LocalDateTime(year: 2027, month: 1, day: 2, hour: 8)
        let layerStart = LocalDateTime(year: 2027, month: 1, day: 4, hour: 8)  // a Monday

        // Weekly: Monday 08:00, Thursday at the doubled time, Sunday at the skipped time. Daily at the doubled
        // time, and every day at the skipped time. Every 7 days and every 12 hours. A schedule of
        // a small Sunday-night layer over a weekday day layer over a night-and-weekend layer.
        let overrides = [
            OracleOverride(
                id: "1", target: "weekly", person: "zoe", from: utc("2027-05-12T09:30:00Z"),
                to: utc("2027-05-14T17:00:00Z")),
            OracleOverride(
                id: "2", target: "clinic", person: "yara", from: utc("2027-07-02T13:00:00Z"),
                to: utc("2027-07-05T06:00:00Z")),
            OracleOverride(
                id: "3", target: "clinic", person: "xena", from: utc("2027-07-03T10:00:00Z"),
                to: utc("2027-07-03T12:30:00Z")),
        ]
        rota = Rota(
            timeZone: walk.zone,
            rotations: [
                Rotation(
                    id: "weekly", members: numbered("weekly"), start: weeklyStart,
                    handoff: .at([time(1, 480), time(4, doubledMinute), time(7, skippedMinute)])),
                Rotation(
                    id: "daily", members: numbered("daily"), start: dailyStart, handoff: .at([time(nil, doubledMinute)])
                ),
                Rotation(
                    id: "ones", members: numbered("ones"),
                    start: LocalDateTime(
                        year: 2027, month: 1, day: 1, hour: walk.skipped.hour, minute: walk.skipped.minute),
                    shift: TimeSpan(days: 1)),
                Rotation(id: "sevens", members: numbered("sevens"), start: sevensStart, shift: TimeSpan(days: 7)),
                Rotation(
                    id: "halves", members: numbered("halves"), start: halvesStart, shift: TimeSpan(seconds: 43_200)),
                Rotation(
                    id: "small", members: numbered("small"), start: dailyStart, handoff: .every(TimeSpan(days: 7)),
                    active: [sunday]),
                Rotation(
                    id: "day", members: numbered("day"), start: layerStart, handoff: .every(TimeSpan(days: 7)),
                    active: [ActiveWindow(parsing: "Mon-Fri 08:00-16:00")!]),
                Rotation(
                    id: "night", members: numbered("night"), start: layerStart, handoff: .at([time(1, 480)]),
                    active: [
                        ActiveWindow(parsing: "Mon-Fri 16:00-08:00")!, ActiveWindow(parsing: "Sat,Sun 00:00-24:00")!,
                    ]),
            ],
            schedules: [Schedule(id: "clinic", layers: layers)],
            people: [],
            overrides: overrides.map {
                RotaOverride(
                    id: $0.id, target: $0.target, person: $0.person, from: $0.from, to: $0.to, createdBy: "config")
            })
        self.overrides = overrides

        // The oracle's hand-offs: walk the local days from the start, a little past the year.
        let lastDay = clock.dayNumber(year: 2028, month: 1, day: 8)
        func slots(from start: LocalDateTime, _ slots: [(weekday: Int?, minute: Int)]) -> OracleRotation.Turns {
            let startMinutes = clock.minutes(start)
            var handoffs: [Int] = []
            for day in (startMinutes / 1440)...lastDay {
                let weekday = clock.weekday(ofDay: day)
                for slot in slots.sorted(by: { $0.minute < $1.minute })
                where slot.weekday == nil || slot.weekday == weekday {
                    let time = day * 1440 + slot.minute
                    if time > startMinutes { handoffs.append(time) }
                }
            }
            return .wall(start: startMinutes, handoffs: handoffs)
        }
        func every(days: Int, from start: LocalDateTime) -> OracleRotation.Turns {
            let startMinutes = clock.minutes(start)
            return .wall(
                start: startMinutes,
                handoffs: Array(stride(from: startMinutes + days * 1440, through: lastDay * 1440, by: days * 1440)))
        }
        let mondayEight: [(weekday: Int?, minute: Int)] = [(1, 480)]
        oracles = [
            OracleRotation(
                id: "weekly", members: numbered("weekly"),
                turns: slots(from: weeklyStart, [(1, 480), (4, doubledMinute), (7, skippedMinute)])),
            OracleRotation(
                id: "daily", members: numbered("daily"), turns: slots(from: dailyStart, [(nil, doubledMinute)])),
            OracleRotation(
                id: "ones", members: numbered("ones"),
                turns: every(
                    days: 1,
                    from: LocalDateTime(
                        year: 2027, month: 1, day: 1, hour: walk.skipped.hour, minute: walk.skipped.minute))),
            OracleRotation(id: "sevens", members: numbered("sevens"), turns: every(days: 7, from: sevensStart)),
            // 08:00 on an ordinary January day: Foundation names it without any DST question.
            OracleRotation(
                id: "halves", members: numbered("halves"),
                turns: .elapsed(origin: clock.calendar.date(from: halvesStart.components)!, seconds: 43_200)),
            OracleRotation(
                id: "small", members: numbered("small"), turns: every(days: 7, from: dailyStart),
                windows: [OracleWindow(days: [7], start: walk.sundayWindow.start, end: walk.sundayWindow.end)]),
            OracleRotation(
                id: "day", members: numbered("day"), turns: every(days: 7, from: layerStart),
                windows: [OracleWindow(days: [1, 2, 3, 4, 5], start: 480, end: 960)]),
            OracleRotation(
                id: "night", members: numbered("night"), turns: slots(from: layerStart, mondayEight),
                windows: [
                    OracleWindow(days: [1, 2, 3, 4, 5], start: 960, end: 480),
                    OracleWindow(days: [6, 7], start: 0, end: 1440),
                ]),
        ]
    }
}
