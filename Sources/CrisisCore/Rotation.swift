import Foundation

/// Members who take turns on duty, each for one `shift`, counted from `start`.
public struct Rotation: Sendable, Equatable {
    public var id: String
    public var members: [String]
    public var start: LocalDateTime
    public var shift: TimeSpan
    /// Another rotation that covers when this one's person does not answer.
    public var backup: String?

    public init(id: String, members: [String], start: LocalDateTime, shift: TimeSpan, backup: String? = nil) {
        self.id = id
        self.members = members
        self.start = start
        self.shift = shift
        self.backup = backup
    }

    /// The shift running at `instant`, or nil before the rotation starts or when it has no members.
    public func shift(at instant: Date, timeZone: TimeZone) -> Shift? {
        guard !members.isEmpty else { return nil }
        let calendar = Calendar.gregorian(in: timeZone)
        let origin = start.instant(in: timeZone)
        guard instant >= origin else { return nil }

        func boundary(_ index: Int) -> Date {
            if let days = shift.wholeDays {
                // Adding calendar days keeps the wall-clock hand-off time across DST.
                return calendar.date(byAdding: .day, value: index * days, to: origin)!
            }
            return origin + Double(index) * shift.seconds
        }

        var index = Int((instant.timeIntervalSince(origin) / shift.seconds).rounded(.down))
        while index > 0 && boundary(index) > instant { index -= 1 }
        while boundary(index + 1) <= instant { index += 1 }
        return Shift(
            rotationID: id, person: members[index % members.count], start: boundary(index), end: boundary(index + 1),
            index: index)
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
