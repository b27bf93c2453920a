import Foundation

/// Cover or a swap: `person` is on duty on a rotation or schedule from `from` until `to`,
/// whatever the turns say. The newest override wins where two overlap.
public struct RotaOverride: Sendable, Equatable, Codable {
    /// `config[N]` for one in the file, a number for one written by `crisisctl rota cover`.
    public var id: String
    /// A rotation or schedule id.
    public var target: String
    public var person: String
    public var from: Date
    public var to: Date
    /// Who wrote it (`config`, `crisisctl`), for the journal and `rota overrides`.
    public var createdBy: String

    public init(id: String, target: String, person: String, from: Date, to: Date, createdBy: String) {
        self.id = id
        self.target = target
        self.person = person
        self.from = from
        self.to = to
        self.createdBy = createdBy
    }

    enum CodingKeys: String, CodingKey {
        case id, target, person, from, to
        case createdBy = "created_by"
    }

    public func covers(_ instant: Date) -> Bool { from <= instant && instant < to }
}
