import Foundation

/// The rotations and people of the provider, in the rota's time zone.
public struct Rota: Sendable {
    public var timeZone: TimeZone
    public var rotations: [String: Rotation]
    public var people: [String: Person]

    public init(timeZone: TimeZone, rotations: [Rotation], people: [Person]) {
        self.timeZone = timeZone
        self.rotations = Dictionary(rotations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.people = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Who is on duty on `rotationID` at `instant`, with the shift's bounds.
    public func onDuty(rotation rotationID: String, at instant: Date) -> Shift? {
        rotations[rotationID]?.shift(at: instant, timeZone: timeZone)
    }
}
