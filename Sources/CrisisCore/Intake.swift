/// A checked crisis report, ready to be recorded.
///
/// `requesterName` and `note` are personal data: they are stored apart and never put in a page or a log.
public struct Intake: Sendable, Equatable {
    public var category: CrisisCategory
    public var site: String
    public var callback: String
    public var requesterName: String?
    public var requesterRole: RequesterRole
    public var group: Bool
    public var people: Int?
    public var note: String?
    public var drill: Bool

    public init(
        category: CrisisCategory, site: String, callback: String, requesterName: String? = nil,
        requesterRole: RequesterRole = .leader, group: Bool = false, people: Int? = nil, note: String? = nil,
        drill: Bool = false
    ) {
        self.category = category
        self.site = site
        self.callback = callback
        self.requesterName = requesterName
        self.requesterRole = requesterRole
        self.group = group
        self.people = people
        self.note = note
        self.drill = drill
    }
}
