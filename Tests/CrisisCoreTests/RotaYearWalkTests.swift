import CrisisCore
import Foundation
import Testing

// A whole year, 2027, walked in 30-minute steps: at every instant the rota must agree with an
// oracle written here that never asks the implementation which instant a local time names.
//
// The oracle reads the wall clock of each instant with Foundation's Calendar and applies the
// documented rule directly: a hand-off at local time T on day D has happened at instant t once
// the local clock has shown (D, T) or later at some instant up to t. It keeps that "highest
// reading so far" as it walks, so a time the clocks skip is reached at the jump, and a time
// they show twice is reached the first time only. Active windows are read on the wall clock at
// t; overrides are compared by instant.
//
// The year is walked in four quarters, run in parallel, each starting afresh from the clock.

/// One zone to walk, with times that fall in its skipped and doubled stretches.
struct YearWalkZone: Sendable, CustomTestStringConvertible {
    var zone: TimeZone
    /// A time the clocks skip on the spring-forward night.
    var skipped: (hour: Int, minute: Int)
    /// A time the clocks show twice on the fall-back night.
    var doubled: (hour: Int, minute: Int)
    /// A Sunday window wholly inside the doubled stretch, in minutes after midnight.
    var sundayWindow: (start: Int, end: Int)

    var testDescription: String { zone.identifier }

    /// Forward 02:00 → 03:00 on 2027-03-28, back 03:00 → 02:00 on 2027-10-31.
    static let copenhagen = YearWalkZone(
        zone: CrisisCoreTests.copenhagen, skipped: (2, 0), doubled: (2, 30), sundayWindow: (120, 150))
    /// Back 02:00 → 01:30 on 2027-04-04, forward 02:00 → 02:30 on 2027-10-03.
    static let lordHowe = YearWalkZone(
        zone: TimeZone(identifier: "Australia/Lord_Howe")!, skipped: (2, 0), doubled: (1, 30), sundayWindow: (90, 120))
}

// MARK: - The oracle

/// What the wall clock shows: minutes since 1970-01-01 00:00 on the local calendar.
private struct Reading {
    var minutes: Int
    var day: Int { Int((Double(minutes) / 1440).rounded(.down)) }
    var text: String { String(format: "%02d:%02d", minutes / 60 % 24, minutes % 60) }
}

/// Reads the wall clock with Foundation's Calendar only.
private final class WallClock {
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
private struct OracleWindow {
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

private struct OracleRotation {
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

private struct OracleOverride {
    var id: String
    var target: String
    var person: String
    var from: Date
    var to: Date
}

/// Members named by their turn (`weekly#17`), so the person on duty says which turn it is.
private func numbered(_ id: String) -> [String] { (0..<1000).map { "\(id)#\($0)" } }

/// The rota walked, and the same rota written out for the oracle.
private struct YearWalkRota {
    let rota: Rota
    let oracles: [OracleRotation]
    let overrides: [OracleOverride]
    let layers = ["small", "day", "night"]
    var targets: [String] { oracles.map(\.id) + ["clinic"] }

    init(_ walk: YearWalkZone, clock: WallClock) {
        let skippedMinute = walk.skipped.hour * 60 + walk.skipped.minute
        let doubledMinute = walk.doubled.hour * 60 + walk.doubled.minute
        func time(_ weekday: Int?, _ minute: Int) -> WeeklyTime { WeeklyTime(weekday: weekday, hour: minute / 60, minute: minute % 60) }
        func text(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
        let sunday = ActiveWindow(parsing: "Sun \(text(walk.sundayWindow.start))-\(text(walk.sundayWindow.end))")!

        let weeklyStart = LocalDateTime(year: 2027, month: 1, day: 6, hour: 12)  // a Wednesday noon
        let dailyStart = LocalDateTime(year: 2027, month: 1, day: 1, hour: 9)
        let sevensStart = LocalDateTime(year: 2027, month: 1, day: 3, hour: walk.doubled.hour, minute: walk.doubled.minute)  // a Sunday
        let halvesStart = LocalDateTime(year: 2027, month: 1, day: 2, hour: 8)
        let layerStart = LocalDateTime(year: 2027, month: 1, day: 4, hour: 8)  // a Monday

        // Weekly: Monday 08:00, Thursday at the doubled time, Sunday at the skipped time. Daily at the doubled
        // time, and every day at the skipped time. Every 7 days and every 12 hours. A schedule of
        // a small Sunday-night layer over a weekday day layer over a night-and-weekend layer.
        let overrides = [
            OracleOverride(id: "1", target: "weekly", person: "zoe", from: utc("2027-05-12T09:30:00Z"), to: utc("2027-05-14T17:00:00Z")),
            OracleOverride(id: "2", target: "clinic", person: "yara", from: utc("2027-07-02T13:00:00Z"), to: utc("2027-07-05T06:00:00Z")),
            OracleOverride(id: "3", target: "clinic", person: "xena", from: utc("2027-07-03T10:00:00Z"), to: utc("2027-07-03T12:30:00Z")),
        ]
        rota = Rota(
            timeZone: walk.zone,
            rotations: [
                Rotation(
                    id: "weekly", members: numbered("weekly"), start: weeklyStart,
                    handoff: .at([time(1, 480), time(4, doubledMinute), time(7, skippedMinute)])),
                Rotation(id: "daily", members: numbered("daily"), start: dailyStart, handoff: .at([time(nil, doubledMinute)])),
                Rotation(
                    id: "ones", members: numbered("ones"),
                    start: LocalDateTime(year: 2027, month: 1, day: 1, hour: walk.skipped.hour, minute: walk.skipped.minute),
                    shift: TimeSpan(days: 1)),
                Rotation(id: "sevens", members: numbered("sevens"), start: sevensStart, shift: TimeSpan(days: 7)),
                Rotation(id: "halves", members: numbered("halves"), start: halvesStart, shift: TimeSpan(seconds: 43_200)),
                Rotation(id: "small", members: numbered("small"), start: dailyStart, handoff: .every(TimeSpan(days: 7)), active: [sunday]),
                Rotation(
                    id: "day", members: numbered("day"), start: layerStart, handoff: .every(TimeSpan(days: 7)),
                    active: [ActiveWindow(parsing: "Mon-Fri 08:00-16:00")!]),
                Rotation(
                    id: "night", members: numbered("night"), start: layerStart, handoff: .at([time(1, 480)]),
                    active: [ActiveWindow(parsing: "Mon-Fri 16:00-08:00")!, ActiveWindow(parsing: "Sat,Sun 00:00-24:00")!]),
            ],
            schedules: [Schedule(id: "clinic", layers: layers)],
            people: [],
            overrides: overrides.map {
                RotaOverride(id: $0.id, target: $0.target, person: $0.person, from: $0.from, to: $0.to, createdBy: "config")
            })
        self.overrides = overrides

        // The oracle's hand-offs: walk the local days from the start, a little past the year.
        let lastDay = clock.dayNumber(year: 2028, month: 1, day: 8)
        func slots(from start: LocalDateTime, _ slots: [(weekday: Int?, minute: Int)]) -> OracleRotation.Turns {
            let startMinutes = clock.minutes(start)
            var handoffs: [Int] = []
            for day in (startMinutes / 1440)...lastDay {
                let weekday = clock.weekday(ofDay: day)
                for slot in slots.sorted(by: { $0.minute < $1.minute }) where slot.weekday == nil || slot.weekday == weekday {
                    let time = day * 1440 + slot.minute
                    if time > startMinutes { handoffs.append(time) }
                }
            }
            return .wall(start: startMinutes, handoffs: handoffs)
        }
        func every(days: Int, from start: LocalDateTime) -> OracleRotation.Turns {
            let startMinutes = clock.minutes(start)
            return .wall(start: startMinutes, handoffs: Array(stride(from: startMinutes + days * 1440, through: lastDay * 1440, by: days * 1440)))
        }
        let mondayEight: [(weekday: Int?, minute: Int)] = [(1, 480)]
        oracles = [
            OracleRotation(
                id: "weekly", members: numbered("weekly"),
                turns: slots(from: weeklyStart, [(1, 480), (4, doubledMinute), (7, skippedMinute)])),
            OracleRotation(id: "daily", members: numbered("daily"), turns: slots(from: dailyStart, [(nil, doubledMinute)])),
            OracleRotation(
                id: "ones", members: numbered("ones"),
                turns: every(days: 1, from: LocalDateTime(year: 2027, month: 1, day: 1, hour: walk.skipped.hour, minute: walk.skipped.minute))),
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
                windows: [OracleWindow(days: [1, 2, 3, 4, 5], start: 960, end: 480), OracleWindow(days: [6, 7], start: 0, end: 1440)]),
        ]
    }
}

// MARK: - The walk

struct RotaYearWalkTests {
    static let step: TimeInterval = 1800
    /// The quarters of 2027, by their first month.
    static let quarters = [1, 4, 7, 10]

    static func quarter(_ month: Int) -> (from: Date, to: Date) {
        let from = utc(String(format: "2027-%02d-01T00:00:00Z", month))
        let to = month == 10 ? utc("2028-01-01T00:00:00Z") : utc(String(format: "2027-%02d-01T00:00:00Z", month + 3))
        return (from, to)
    }

    @Test func theQuartersMakeUpTheYearIn17520Steps() {
        #expect(Self.quarter(1).from == utc("2027-01-01T00:00:00Z"))
        #expect(Self.quarter(10).to == utc("2028-01-01T00:00:00Z"))
        for (earlier, later) in zip(Self.quarters, Self.quarters.dropFirst()) {
            #expect(Self.quarter(earlier).to == Self.quarter(later).from)
        }
        let steps = Self.quarters.map { Int(Self.quarter($0).to.timeIntervalSince(Self.quarter($0).from) / Self.step) }
        #expect(steps.reduce(0, +) == 17_520)
    }

    @Test(arguments: [YearWalkZone.copenhagen, .lordHowe], quarters)
    func everyHalfHourOfTheYearAgreesWithTheWallClockOracle(walk: YearWalkZone, quarter: Int) throws {
        let zone = walk.zone
        let clock = WallClock(zone)
        let fixture = YearWalkRota(walk, clock: clock)
        let rota = fixture.rota
        let oracles = fixture.oracles
        let (from, to) = Self.quarter(quarter)
        let stepMinutes = Int(Self.step / 60)

        // The DST transitions in the quarter, from Foundation: each with its jump in minutes.
        var transitions: [(instant: Date, jump: Int)] = []
        var cursor = from - 86_400
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < to {
            transitions.append((next, (zone.secondsFromGMT(for: next) - zone.secondsFromGMT(for: next - 1)) / 60))
            cursor = next
        }
        // The walk starts afresh from the clock, so it must not start near a transition.
        try #require(transitions.allSatisfy { $0.instant.timeIntervalSince(from) > 86_400 })
        let forwardJump = 60  // at most, in either zone

        // How many hand-offs can happen in one step: those within 30 minutes of wall clock plus
        // the forward jump. Exact-elapsed turns: one.
        let bounds: [String: Int] = Dictionary(
            uniqueKeysWithValues: oracles.map { oracle in
                guard case .wall(_, let handoffs) = oracle.turns else { return (oracle.id, 1) }
                var most = 0
                for (index, first) in handoffs.enumerated() {
                    most = max(most, handoffs[index...].prefix { $0 <= first + stepMinutes + forwardJump }.count)
                }
                return (oracle.id, most)
            })

        // The implementation's timelines for the quarter, checked at every step too.
        let timelines: [String: [Duty]] = Dictionary(
            uniqueKeysWithValues: fixture.targets.map { ($0, rota.timeline($0, from: from, to: to)) })
        var timelineCursor = Dictionary(uniqueKeysWithValues: fixture.targets.map { ($0, 0) })

        // The walk: one step before the quarter, to have the turns to compare the first step with.
        var highest = clock.read(from - Self.step).minutes
        var passed = [Int](repeating: 0, count: oracles.count)
        var previousTurn = [Int?](repeating: nil, count: oracles.count)
        var knownTurns = [Int](repeating: 0, count: oracles.count)
        var lastTurn = [Int?](repeating: nil, count: oracles.count)
        var mismatches: [String] = []
        var turnMismatches: [String] = []
        var jumps: [String] = []
        var timelineMismatches: [String] = []
        var repeatedSteps = 0
        var leaps = 0
        var handoffsOnDSTNights = 0
        var steps = 0
        var previous = from - 2 * Self.step
        var instant = from - Self.step
        while instant < to {
            steps += 1
            let reading = clock.read(instant)
            let before = highest
            for transition in transitions where previous < transition.instant && transition.instant <= instant {
                highest = max(highest, clock.read(transition.instant - 1).minutes)
            }
            highest = max(highest, reading.minutes)
            let repeated = reading.minutes < highest
            if repeated { repeatedSteps += 1 }
            if highest - before > stepMinutes { leaps += 1 }
            let nearTransition = transitions.contains { abs($0.instant.timeIntervalSince(instant)) <= 3 * 3600 }
            let label = { [instant] in "\(instant.formatted(.iso8601)) (\(reading.text)\(repeated ? ", again" : ""))" }

            // Who each rotation has on duty, by the oracle.
            var expected: [String: String] = [:]
            for (number, oracle) in oracles.enumerated() {
                let turn: Int?
                switch oracle.turns {
                case .wall(let start, let handoffs):
                    while passed[number] < handoffs.count && handoffs[passed[number]] <= highest {
                        passed[number] += 1
                        if nearTransition && instant >= from { handoffsOnDSTNights += 1 }
                    }
                    turn = highest >= start ? passed[number] : nil
                case .elapsed(let origin, let seconds):
                    turn = instant >= origin ? Int((instant.timeIntervalSince(origin) / seconds).rounded(.down)) : nil
                }
                lastTurn[number] = turn
                let active = oracle.windows.isEmpty || oracle.windows.contains { $0.contains(reading, clock: clock) }
                if let turn, active { expected[oracle.id] = oracle.members[turn % oracle.members.count] }
                if let cover = fixture.overrides.last(where: { $0.target == oracle.id && $0.from <= instant && instant < $0.to }) {
                    expected[oracle.id] = cover.person
                }

                let person = rota.onDuty(oracle.id, at: instant)?.person
                if person != expected[oracle.id] {
                    mismatches.append("\(label()) \(oracle.id): \(person ?? "nil") ≠ \(expected[oracle.id] ?? "nil")")
                }
                // The implementation's turn: named by the person on duty; asked for when an
                // unrestricted rotation shows no member (before its start, or under cover); not
                // known while a restricted one is off duty.
                let prefix = "\(oracle.id)#"
                let actualTurn: Int?
                let known: Bool
                if let person, person.hasPrefix(prefix) {
                    (actualTurn, known) = (Int(person.dropFirst(prefix.count)), true)
                } else if oracle.windows.isEmpty {
                    (actualTurn, known) = (rota.rotations[oracle.id]?.shift(at: instant, timeZone: zone)?.index, true)
                } else {
                    (actualTurn, known) = (nil, false)
                }
                if known {
                    if actualTurn != turn {
                        turnMismatches.append(
                            "\(label()) \(oracle.id): turn \(actualTurn.map(String.init) ?? "nil") ≠ \(turn.map(String.init) ?? "nil")")
                    }
                    knownTurns[number] += 1
                    // No hand-off is skipped or happens twice: from one step to the next the turn
                    // never goes back, never leaps ahead, never ends.
                    if let last = previousTurn[number] {
                        if let actualTurn, !(0...bounds[oracle.id]!).contains(actualTurn - last) {
                            jumps.append("\(label()) \(oracle.id): turn \(last) → \(actualTurn)")
                        } else if actualTurn == nil {
                            jumps.append("\(label()) \(oracle.id): turn \(last) → nil")
                        }
                    }
                }
                previousTurn[number] = known ? actualTurn : nil
            }
            expected["clinic"] =
                fixture.overrides.last { $0.target == "clinic" && $0.from <= instant && instant < $0.to }?.person
                ?? fixture.layers.lazy.compactMap { expected[$0] }.first
            let clinic = rota.onDuty("clinic", at: instant)?.person
            if clinic != expected["clinic"] {
                mismatches.append("\(label()) clinic: \(clinic ?? "nil") ≠ \(expected["clinic"] ?? "nil")")
            }

            // The timelines say the same.
            for target in fixture.targets where instant >= from {
                let duties = timelines[target]!
                while timelineCursor[target]! < duties.count && duties[timelineCursor[target]!].end <= instant {
                    timelineCursor[target]! += 1
                }
                let fromTimeline = timelineCursor[target]! < duties.count ? duties[timelineCursor[target]!].person : "(none)"
                if fromTimeline != expected[target] {
                    let line = "\(label()) \(target): timeline \(fromTimeline ?? "nil") ≠ \(expected[target] ?? "nil")"
                    timelineMismatches.append(line)
                }
            }
            previous = instant
            instant += Self.step
        }

        #expect(steps == Int(to.timeIntervalSince(from) / Self.step) + 1)
        // The walk went through the DST nights in the quarter: over the skipped time in one step,
        // and through every half hour shown twice.
        #expect(leaps == transitions.filter { $0.jump > 0 }.count)
        #expect(repeatedSteps == transitions.filter { $0.jump < 0 }.map { -$0.jump / stepMinutes }.reduce(0, +))
        #expect(handoffsOnDSTNights >= 4 * transitions.count)
        // Every rotation handed off all quarter, and its turns were compared at many steps.
        #expect(lastTurn.allSatisfy { ($0 ?? 0) >= 10 })
        #expect(knownTurns.allSatisfy { $0 >= 10 })

        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
        #expect(turnMismatches.isEmpty, "\(turnMismatches.count) mismatches, first: \(turnMismatches.prefix(5))")
        #expect(jumps.isEmpty, "\(jumps.count) jumps, first: \(jumps.prefix(5))")
        #expect(timelineMismatches.isEmpty, "\(timelineMismatches.count) mismatches, first: \(timelineMismatches.prefix(5))")
    }
}
