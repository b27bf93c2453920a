/// Whom an escalation step pages: `rotation:ID`, `schedule:ID`, either with `:backup`, or `person:ID`.
public enum EscalationTarget: Hashable, Sendable, CustomStringConvertible {
    case rotation(String)
    case rotationBackup(String)
    case schedule(String)
    case scheduleBackup(String)
    case person(String)

    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("rotation", 2) where !parts[1].isEmpty: self = .rotation(parts[1])
        case ("rotation", 3) where !parts[1].isEmpty && parts[2] == "backup": self = .rotationBackup(parts[1])
        case ("schedule", 2) where !parts[1].isEmpty: self = .schedule(parts[1])
        case ("schedule", 3) where !parts[1].isEmpty && parts[2] == "backup": self = .scheduleBackup(parts[1])
        case ("person", 2) where !parts[1].isEmpty: self = .person(parts[1])
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .rotation(let id): "rotation:\(id)"
        case .rotationBackup(let id): "rotation:\(id):backup"
        case .schedule(let id): "schedule:\(id)"
        case .scheduleBackup(let id): "schedule:\(id):backup"
        case .person(let id): "person:\(id)"
        }
    }
}
