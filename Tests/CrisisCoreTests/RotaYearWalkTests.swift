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
                if let cover = fixture.overrides.last(where: {
                    $0.target == oracle.id && $0.from <= instant && instant < $0.to
                }) {
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
                            "\(label()) \(oracle.id): turn \(actualTurn.map(String.init) ?? "nil") ≠ \(turn.map(String.init) ?? "nil")"
                        )
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
                let fromTimeline =
                    timelineCursor[target]! < duties.count ? duties[timelineCursor[target]!].person : "(none)"
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
        #expect(
            timelineMismatches.isEmpty, "\(timelineMismatches.count) mismatches, first: \(timelineMismatches.prefix(5))"
        )
    }
}
