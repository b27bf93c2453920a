import Foundation

/// A configured duration such as `30s`, `5m`, `1h30m`, `2d` or `500ms`.
///
/// Spans made only of days are calendar days in the rota's time zone, so a 08:00 hand-off
/// stays at 08:00 across a DST change; everything else is exact elapsed time.
public struct TimeSpan: Hashable, Sendable, CustomStringConvertible {
    public let seconds: TimeInterval
    /// Set when the span was written in whole days only (`7d`).
    public let wholeDays: Int?

    public init(seconds: TimeInterval) {
        self.seconds = seconds
        self.wholeDays = nil
    }

    public init(days: Int) {
        self.seconds = TimeInterval(days) * 86_400
        self.wholeDays = days
    }

    /// Nothing crisisd schedules is longer than a century; longer text is a typo, not a plan.
    public static let longest: TimeInterval = 100 * 366 * 86_400
    private static let largestNumber = 1_000_000_000_000

    private static let units: [(String, TimeInterval)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400),
    ]

    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total: TimeInterval = 0
        var onlyDays = true
        while !rest.isEmpty {
            let number = rest.prefix(while: \.isNumber)
            guard !number.isEmpty, let value = Int(number), value <= Self.largestNumber else { return nil }
            rest = rest.dropFirst(number.count)
            // "ms" is listed before "m", so it wins where both match.
            guard let (unit, factor) = Self.units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += TimeInterval(value) * factor
            if unit != "d" { onlyDays = false }
        }
        guard total > 0, total <= Self.longest else { return nil }
        if onlyDays {
            self.init(days: Int(total / 86_400))
        } else {
            self.init(seconds: total)
        }
    }

    /// The span written back the way a person would (`1h30m`, `7d`, `2s`).
    public var description: String {
        if let wholeDays { return "\(wholeDays)d" }
        var remaining = Int((min(seconds, Self.longest) * 1000).rounded())
        var parts: [String] = []
        for (unit, factor) in Self.units.reversed() {
            let size = Int(factor * 1000)
            if remaining >= size {
                parts.append("\(remaining / size)\(unit)")
                remaining %= size
            }
        }
        return parts.isEmpty ? "0s" : parts.joined()
    }
}
