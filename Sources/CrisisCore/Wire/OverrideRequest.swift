import Foundation

/// The body of `POST /v1/rota/overrides`: cover or a swap, written without editing the config.
public struct OverrideRequest: Codable, Sendable, Equatable {
    public var rotation: String?
    public var schedule: String?
    public var person: String?
    public var from: Date?
    public var to: Date?

    public init(rotation: String? = nil, schedule: String? = nil, person: String?, from: Date?, to: Date?) {
        self.rotation = rotation
        self.schedule = schedule
        self.person = person
        self.from = from
        self.to = to
    }

    /// Checks the request against the rota; the answer names the field at fault.
    public func validated(rota: Rota, timeZone: TimeZone, now: Date) throws(FieldError) -> (
        target: String, person: String, from: Date, to: Date
    ) {
        let target: String
        switch (rotation, schedule) {
        case (let id?, nil):
            guard rota.rotations[id] != nil else { throw FieldError(field: "rotation", "unknown rotation \"\(id)\"") }
            target = id
        case (nil, let id?):
            guard rota.schedules[id] != nil else { throw FieldError(field: "schedule", "unknown schedule \"\(id)\"") }
            target = id
        case (nil, nil):
            throw FieldError(field: "rotation", "is required (or schedule): which rota the cover is for")
        default:
            throw FieldError(field: "schedule", "give either rotation or schedule, not both")
        }
        guard let person else { throw FieldError(field: "person", "is required") }
        guard rota.people[person] != nil else { throw FieldError(field: "person", "unknown person \"\(person)\"") }
        guard let from else { throw FieldError(field: "from", "is required") }
        guard let to else { throw FieldError(field: "to", "is required") }
        guard to > from else { throw FieldError(field: "to", "must be after from") }
        guard to > now else { throw FieldError(field: "to", "is in the past: the cover would change nothing") }
        return (target, person, from, to)
    }
}
