import Foundation

/// Who is on duty at an instant, on every rotation and schedule, with the backup.
public struct OnCallView: Codable, Sendable, Equatable {
    public struct Person: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
        public var phone: String?
        /// Since when this person has been on duty without a break, and until when.
        public var since: Date?
        public var until: Date?
    }

    public struct Entry: Codable, Sendable, Equatable {
        /// A rotation or schedule id.
        public var rotation: String
        public var kind: String
        /// Nil when no one is on duty.
        public var primary: Person?
        public var backup: Person?
        /// The backup rotation or schedule, if any.
        public var backupTarget: String?
        /// When who is on duty next changes.
        public var nextHandoff: Date?

        enum CodingKeys: String, CodingKey {
            case rotation, kind, primary, backup
            case backupTarget = "backup_target"
            case nextHandoff = "next_handoff"
        }

        // Flat accessors for the primary, which is what most readers want.
        public var person: String? { primary?.id }
        public var name: String? { primary?.name }
        public var phone: String? { primary?.phone }
        public var since: Date? { primary?.since }
        public var until: Date? { primary?.until }
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
        func person(_ target: String) -> (Person?, Date?) {
            let stretch = rota.stretch(target, around: instant)
            let since = stretch.flatMap { $0.start == .distantPast ? nil : $0.start }
            let until = stretch.flatMap { $0.end == .distantFuture ? nil : $0.end }
            guard let duty = rota.onDuty(target, at: instant) else { return (nil, until) }
            let known = rota.people[duty.person]
            return (Person(id: duty.person, name: known?.name, phone: known?.phone, since: since, until: until), until)
        }
        rotations = rota.targets.map { id in
            let (primary, next) = person(id)
            let backupTarget = rota.backup(of: id)
            return Entry(
                rotation: id, kind: rota.schedules[id] == nil ? "rotation" : "schedule", primary: primary,
                backup: backupTarget.flatMap { person($0).0 }, backupTarget: backupTarget, nextHandoff: next)
        }
    }
}
