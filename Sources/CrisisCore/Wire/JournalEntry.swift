import Foundation

/// One line of the append-only journal.
public struct JournalEntry: Codable, Sendable, Equatable {
    public var id: Int64?
    public var at: Date
    public var reference: CrisisReference?
    public var kind: JournalKind
    /// Who or what did it: `crisisd`, `requester:albertslund`, `person:anna`, `crisisctl`.
    public var actor: String
    public var data: [String: String]

    public init(
        id: Int64? = nil, at: Date, reference: CrisisReference? = nil, kind: JournalKind, actor: String,
        data: [String: String] = [:]
    ) {
        self.id = id
        self.at = at
        self.reference = reference
        self.kind = kind
        self.actor = actor
        self.data = data
    }
}
