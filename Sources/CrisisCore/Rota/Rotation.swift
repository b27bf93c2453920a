import Foundation

/// Members who take turns on duty, counted from `start`: every `shift`, or at named weekly
/// (or daily) hand-off times. A restricted layer is on duty only inside its `active` windows.
public struct Rotation: Sendable, Equatable {
    public enum Handoff: Sendable, Equatable {
        /// Every span from the start. Whole days keep the start's wall-clock time across DST;
        /// other spans are exact elapsed time.
        case every(TimeSpan)
        /// At these wall-clock times; `08:00` alone is every day, `Mon 08:00` once a week.
        case at([WeeklyTime])
    }

    public var id: String
    public var members: [String]
    public var start: LocalDateTime
    public var handoff: Handoff
    /// The rotation or schedule that covers when this one's person does not answer.
    public var backup: String?
    /// When the rotation is on duty at all; empty means always.
    public var active: [ActiveWindow]

    public init(
        id: String, members: [String], start: LocalDateTime, handoff: Handoff, backup: String? = nil,
        active: [ActiveWindow] = []
    ) {
        self.id = id
        self.members = members
        self.start = start
        self.handoff = handoff
        self.backup = backup
        self.active = active
    }

    public init(id: String, members: [String], start: LocalDateTime, shift: TimeSpan, backup: String? = nil) {
        self.init(id: id, members: members, start: start, handoff: .every(shift), backup: backup)
    }

    public var shift: TimeSpan? {
        if case .every(let span) = handoff { return span }
        return nil
    }

    /// The turn running at `instant`, ignoring the active windows; nil before the start or with no members.
    public func shift(at instant: Date, timeZone: TimeZone) -> Shift? {
        guard !members.isEmpty else { return nil }
        let origin = start.instant(in: timeZone)
        guard instant >= origin else { return nil }
        let index = handoffs(before: instant, timeZone: timeZone)
        let begin = index == 0 ? origin : handoff(number: index, timeZone: timeZone)
        return Shift(
            rotationID: id, person: members[index % members.count], start: begin,
            end: handoff(number: index + 1, timeZone: timeZone), index: index)
    }

    /// Whether the rotation is on duty at all at `instant` (its active windows).
    public func isActive(at instant: Date, timeZone: TimeZone) -> Bool {
        guard !active.isEmpty else { return true }
        let local = LocalDateTime(instant, in: timeZone)
        return active.contains { $0.contains(local) }
    }

    // MARK: - Counting hand-offs

    /// The weekly hand-off slots, in week order, with daily times spread over the seven days.
    var weeklySlots: [(weekday: Int, minute: Int)] {
        guard case .at(let times) = handoff else { return [] }
        // Minutes since Monday 00:00, so that sorting puts the slots in week order.
        var minutesOfWeek = Set<Int>()
        for time in times {
            for day in time.weekday.map({ [$0] }) ?? Array(1...7) {
                minutesOfWeek.insert((day - 1) * 1440 + time.minuteOfDay)
            }
        }
        return minutesOfWeek.sorted().map { ($0 / 1440 + 1, $0 % 1440) }
    }

    /// Monday of the week the rotation starts in.
    var firstMonday: LocalDateTime {
        LocalDateTime(year: start.year, month: start.month, day: start.day).adding(days: 1 - start.weekday)
    }

    func slotTime(week: Int, slot: (weekday: Int, minute: Int)) -> LocalDateTime {
        firstMonday.adding(days: week * 7 + slot.weekday - 1).at(minute: slot.minute)
    }

    /// How many hand-offs happened after the start and at or before `instant`.
    func handoffs(before instant: Date, timeZone: TimeZone) -> Int {
        switch handoff {
        case .every(let span):
            let origin = start.instant(in: timeZone)
            if let days = span.wholeDays {
                let local = LocalDateTime(instant, in: timeZone)
                var index = max(0, (local.dayNumber - start.dayNumber) / days)
                while index > 0 && start.adding(days: index * days).instant(in: timeZone) > instant { index -= 1 }
                while start.adding(days: (index + 1) * days).instant(in: timeZone) <= instant { index += 1 }
                return index
            }
            return Int((instant.timeIntervalSince(origin) / span.seconds).rounded(.down))
        case .at:
            let slots = weeklySlots
            guard !slots.isEmpty else { return 0 }
            let local = LocalDateTime(instant, in: timeZone)
            let week = (local.dayNumber - firstMonday.dayNumber) / 7
            let origin = start.instant(in: timeZone)
            func passed(_ week: Int, by moment: Date) -> Int {
                slots.filter { slotTime(week: week, slot: $0).instant(in: timeZone) <= moment }.count
            }
            // Hand-offs in whole weeks since the first, plus this week's so far, less those
            // of the first week at or before the start.
            return max(0, week * slots.count + passed(week, by: instant) - passed(0, by: origin))
        }
    }

    /// The instant of the `number`-th hand-off after the start (number ≥ 1).
    func handoff(number: Int, timeZone: TimeZone) -> Date {
        switch handoff {
        case .every(let span):
            if let days = span.wholeDays { return start.adding(days: number * days).instant(in: timeZone) }
            return start.instant(in: timeZone) + Double(number) * span.seconds
        case .at:
            let slots = weeklySlots
            guard !slots.isEmpty else { return .distantFuture }
            let origin = start.instant(in: timeZone)
            let before = slots.filter { slotTime(week: 0, slot: $0).instant(in: timeZone) <= origin }.count
            let position = before + number - 1
            return slotTime(week: position / slots.count, slot: slots[position % slots.count]).instant(in: timeZone)
        }
    }
}

/// One person's turn on a rotation.
public struct Shift: Sendable, Equatable, Codable {
    public var rotationID: String
    public var person: String
    public var start: Date
    public var end: Date
    public var index: Int
}
