import Foundation

/// Who is on duty at an instant, per rotation.
public struct OnCallView: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var rotation: String
        public var person: String?
        public var name: String?
        public var phone: String?
        public var since: Date?
        public var until: Date?
    }

    public var at: Date
    public var timeZone: String
    public var rotations: [Entry]

    enum CodingKeys: String, CodingKey {
        case at, rotations
        case timeZone = "time_zone"
    }

    /// Builds the view from the rota: the one computation both the daemon and a
    /// `crisisctl` that cannot reach it use.
    public init(rota: Rota, at instant: Date) {
        at = instant
        timeZone = rota.timeZone.identifier
        rotations = rota.rotations.keys.sorted().map { id in
            guard let shift = rota.onDuty(rotation: id, at: instant) else { return Entry(rotation: id) }
            let person = rota.people[shift.person]
            return Entry(
                rotation: id, person: shift.person, name: person?.name, phone: person?.phone, since: shift.start,
                until: shift.end)
        }
    }
}
