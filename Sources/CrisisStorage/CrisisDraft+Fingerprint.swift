import CrisisCore

extension CrisisDraft {
    /// What the report said, in a stable form: a repeated key must repeat the same report.
    public var fingerprint: String {
        let i = intake
        return [
            i.category.rawValue, i.site, i.callback, i.requesterName ?? "", i.requesterRole.rawValue, "\(i.group)",
            i.people.map(String.init) ?? "", i.note ?? "", "\(i.drill)",
        ].map { $0.replacingOccurrences(of: "\u{1F}", with: " ") }.joined(separator: "\u{1F}")
    }
}
