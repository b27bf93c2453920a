import Foundation

/// The provider's rota: rotations, the schedules that layer them, overrides and people, in
/// the rota's time zone. Answers who is on duty on a rotation or schedule at any instant.
public struct Rota: Sendable {
    public var timeZone: TimeZone
    public var rotations: [String: Rotation]
    public var schedules: [String: Schedule]
    public var people: [String: Person]
    /// Newest last: where two overlap, the later one wins.
    public var overrides: [RotaOverride]

    public init(
        timeZone: TimeZone, rotations: [Rotation], schedules: [Schedule] = [], people: [Person],
        overrides: [RotaOverride] = []
    ) {
        self.timeZone = timeZone
        self.rotations = Dictionary(rotations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.schedules = Dictionary(schedules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.people = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.overrides = overrides
    }

    /// Rotation and schedule ids, sorted.
    public var targets: [String] { (Array(rotations.keys) + Array(schedules.keys)).sorted() }

    public func exists(_ target: String) -> Bool { rotations[target] != nil || schedules[target] != nil }

    /// The rotation or schedule that backs `target` up.
    public func backup(of target: String) -> String? { rotations[target]?.backup ?? schedules[target]?.backup }

    /// Everyone who could be on duty on `target`: paged all at once when no one is.
    public func members(of target: String) -> [String] {
        if let rotation = rotations[target] { return rotation.members }
        var all: [String] = []
        for layer in schedules[target]?.layers ?? [] {
            for member in rotations[layer]?.members ?? [] where !all.contains(member) { all.append(member) }
        }
        return all
    }

    /// Who is on duty on a rotation or schedule at `instant`, and what put them there.
    public func onDuty(_ target: String, at instant: Date) -> (person: String, source: String)? {
        if let override = overrides.last(where: { $0.target == target && $0.covers(instant) }) {
            return (override.person, "override:\(override.id)")
        }
        if let rotation = rotations[target] {
            guard rotation.isActive(at: instant, timeZone: timeZone),
                let shift = rotation.shift(at: instant, timeZone: timeZone)
            else { return nil }
            return (shift.person, rotation.id)
        }
        for layer in schedules[target]?.layers ?? [] {
            if let duty = onDuty(layer, at: instant) { return duty }
        }
        return nil
    }

    /// The same as `onDuty(_:at:)` for a rotation, with its shift: kept for callers that count turns.
    public func onDuty(rotation rotationID: String, at instant: Date) -> Shift? {
        guard let duty = timeline(rotationID, from: instant, to: instant + 1).first, let person = duty.person else {
            return nil
        }
        let whole = stretch(rotationID, around: instant)
        return Shift(
            rotationID: rotationID, person: person, start: whole?.start ?? duty.start, end: whole?.end ?? duty.end,
            index: rotations[rotationID]?.shift(at: instant, timeZone: timeZone)?.index ?? 0)
    }

    /// The whole unbroken stretch of one person (or of no one) on `target` around `instant`.
    ///
    /// It looks 5 weeks either side, then further (up to about 3 years) while the stretch runs
    /// to the edge of what it looked at. A stretch longer still (a one-person rotation has no
    /// hand-off to find) has `Date.distantPast` or `Date.distantFuture` for the end it lacks.
    public func stretch(_ target: String, around instant: Date) -> Duty? {
        var reach: TimeInterval = 35 * 86_400
        while true {
            let from = instant - reach
            let to = instant + reach
            guard
                var duty = timeline(target, from: from, to: to).first(where: { $0.start <= instant && instant < $0.end }
                )
            else {
                return nil
            }
            let clipped = duty.start == from || duty.end == to
            if !clipped { return duty }
            if reach >= 1100 * 86_400 {
                if duty.start == from { duty.start = .distantPast }
                if duty.end == to { duty.end = .distantFuture }
                return duty
            }
            reach *= 4
        }
    }

    /// Who is on duty on `target` from `from` until `to`, as stretches: each with one person (or
    /// none, for a gap), adjacent stretches always differing.
    public func timeline(_ target: String, from: Date, to: Date) -> [Duty] {
        guard from < to else { return [] }
        var changes = Set<Date>([from])
        collectChanges(target, from: from, to: to, into: &changes, depth: 0)
        let points = changes.filter { $0 >= from && $0 < to }.sorted()
        var result: [Duty] = []
        for (index, point) in points.enumerated() {
            let end = index + 1 < points.count ? points[index + 1] : to
            let duty = onDuty(target, at: point)
            if let last = result.last, last.person == duty?.person, last.source == duty?.source {
                result[result.count - 1].end = end
            } else {
                result.append(Duty(target: target, person: duty?.person, start: point, end: end, source: duty?.source))
            }
        }
        // Adjacent stretches of the same person from different sources read as one to people.
        var merged: [Duty] = []
        for duty in result {
            if let last = merged.last, last.person == duty.person {
                merged[merged.count - 1].end = duty.end
                if merged[merged.count - 1].source != duty.source { merged[merged.count - 1].source = nil }
            } else {
                merged.append(duty)
            }
        }
        return merged
    }

    /// The first instant after `instant`, up to `limit`, at which who is on duty on `target` may
    /// change; nil when none does. Until then `onDuty(target, at:)` answers what it answers at `instant`.
    public func nextChange(_ target: String, after instant: Date, until limit: Date) -> Date? {
        guard instant < limit else { return nil }
        var changes = Set<Date>()
        collectChanges(target, from: instant, to: limit, into: &changes, depth: 0)
        return changes.filter { $0 > instant && $0 <= limit }.min()
    }

    /// Every instant in the range at which who is on duty on `target` may change.
    private func collectChanges(_ target: String, from: Date, to: Date, into changes: inout Set<Date>, depth: Int) {
        guard depth < 8 else { return }
        for override in overrides where override.target == target {
            changes.insert(override.from)
            changes.insert(override.to)
        }
        if let schedule = schedules[target] {
            for layer in schedule.layers { collectChanges(layer, from: from, to: to, into: &changes, depth: depth + 1) }
            return
        }
        guard let rotation = rotations[target], !rotation.members.isEmpty else { return }
        let origin = rotation.start.instant(in: timeZone)
        changes.insert(origin)
        let first = max(1, rotation.handoffs(before: max(from, origin), timeZone: timeZone))
        var number = first
        while true {
            let instant = rotation.handoff(number: number, timeZone: timeZone)
            if instant > to || number - first > 100_000 { break }
            changes.insert(instant)
            number += 1
        }
        guard !rotation.active.isEmpty else { return }
        // Windows are read on the wall clock: an edge in a fall-back hour happens twice, and the
        // fall-back itself can re-open a window the clock had left.
        var day = LocalDateTime(from, in: timeZone).adding(days: -1).startOfDay
        let last = LocalDateTime(to, in: timeZone).adding(days: 1)
        while day <= last {
            for window in rotation.active {
                for edge in window.edges(startingOn: day) { changes.formUnion(edge.occurrences(in: timeZone)) }
            }
            day = day.adding(days: 1)
        }
        changes.formUnion(offsetChanges(from: from, to: to))
    }

    /// The instants in the range at which the zone's offset from UTC changes (DST).
    func offsetChanges(from: Date, to: Date) -> [Date] {
        func offset(_ t: Date) -> Int { timeZone.secondsFromGMT(for: t) }
        var result: [Date] = []
        var day = from
        while day < to {
            let next = min(day + 86_400, to)
            if offset(day) != offset(next) {
                var low = day.timeIntervalSince1970
                var high = next.timeIntervalSince1970
                while high - low > 1 {
                    let middle = ((low + high) / 2).rounded(.down)
                    if offset(Date(timeIntervalSince1970: middle)) == offset(day) {
                        low = middle
                    } else {
                        high = middle
                    }
                }
                result.append(Date(timeIntervalSince1970: high))
            }
            day = next
        }
        return result
    }
}
