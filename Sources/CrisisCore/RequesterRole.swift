/// Who raised the crisis. An employee may raise one only when no leader can be reached,
/// and the leader must then be told afterwards.
public enum RequesterRole: String, CaseIterable, Codable, Sendable {
    case leader
    case leadersLeader = "leaders-leader"
    case hr
    case employee

    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
