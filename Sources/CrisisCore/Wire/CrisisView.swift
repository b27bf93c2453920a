import Foundation

/// A crisis as the API and `crisisctl status` show it: no requester name, no note.
public struct CrisisView: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case open
        case acknowledged
        case resolved
    }

    public struct Page: Codable, Sendable, Equatable {
        public var id: Int64
        public var person: String
        public var channel: String
        public var step: Int
        public var status: String
        public var kind: String
        public var attempts: Int
        public var lastError: String?

        public init(
            id: Int64, person: String, channel: String, step: Int, status: String, kind: String, attempts: Int,
            lastError: String?
        ) {
            self.id = id
            self.person = person
            self.channel = channel
            self.step = step
            self.status = status
            self.kind = kind
            self.attempts = attempts
            self.lastError = lastError
        }

        enum CodingKeys: String, CodingKey {
            case id, person, channel, step, status, kind, attempts
            case lastError = "last_error"
        }
    }

    public var reference: CrisisReference
    public var category: CrisisCategory
    public var site: String
    public var callback: String
    public var requesterRole: RequesterRole
    public var group: Bool
    public var people: Int?
    public var drill: Bool
    public var receivedAt: Date
    public var status: Status
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var assigned: [String]
    public var noOneOnDuty: Bool
    public var clocks: [ResponseClock]
    public var pages: [Page]
    public var escalation: EscalationProgress
    /// Milestones in order. Their free-text `outcome` is left out: it stays in the database.
    public var milestones: [Milestone]

    public init(
        reference: CrisisReference, category: CrisisCategory, site: String, callback: String,
        requesterRole: RequesterRole, group: Bool, people: Int?, drill: Bool, receivedAt: Date, status: Status,
        acknowledgedAt: Date?, acknowledgedBy: String?, assigned: [String], noOneOnDuty: Bool,
        clocks: [ResponseClock], pages: [Page], escalation: EscalationProgress, milestones: [Milestone]
    ) {
        self.reference = reference
        self.category = category
        self.site = site
        self.callback = callback
        self.requesterRole = requesterRole
        self.group = group
        self.people = people
        self.drill = drill
        self.receivedAt = receivedAt
        self.status = status
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.assigned = assigned
        self.noOneOnDuty = noOneOnDuty
        self.clocks = clocks
        self.pages = pages
        self.escalation = escalation
        self.milestones = milestones
    }

    enum CodingKeys: String, CodingKey {
        case reference, category, site, callback, group, people, drill, status, assigned, clocks, pages, escalation,
            milestones
        case requesterRole = "requester_role"
        case receivedAt = "received_at"
        case acknowledgedAt = "acknowledged_at"
        case acknowledgedBy = "acknowledged_by"
        case noOneOnDuty = "no_one_on_duty"
    }
}
