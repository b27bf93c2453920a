/// What kind of event a crisis is about (DOMAIN.md, "Acute crisis help").
public enum CrisisCategory: String, CaseIterable, Codable, Sendable {
    case violence
    case accident
    case death
    case harassment
    case other

    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
