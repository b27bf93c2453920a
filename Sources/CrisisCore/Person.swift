/// Someone who can be paged: a chief psychologist, a crisis psychologist or a service lead.
public struct Person: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var phone: String
    /// The channels the person is paged on, in order, each with its delay.
    public var contacts: [Contact]
    /// What the person does: `chief`, `crisis` (may be dispatched to a site), `lead`.
    public var roles: [String]
    /// SHA-256 of the token that opens the person's calendar feed (`/v1/rota.ics`), if any.
    public var calendarTokenSHA256: String?
    /// SHA-256 of the person's own API token, if any: it acknowledges and records milestones on
    /// the crises the person was paged for, over TCP.
    public var apiTokenSHA256: String?
    /// Where e-mail pages go.
    public var email: String?
    /// The ntfy topic push pages are published to. Anyone who knows it may subscribe: it is
    /// treated as a secret (never in logs or JSON output).
    public var ntfyTopic: String?

    public static let knownRoles = ["chief", "crisis", "lead"]

    public init(
        id: String, name: String, phone: String, contacts: [Contact], roles: [String] = [],
        calendarTokenSHA256: String? = nil, email: String? = nil, ntfyTopic: String? = nil,
        apiTokenSHA256: String? = nil
    ) {
        self.id = id
        self.name = name
        self.phone = phone
        self.contacts = contacts
        self.roles = roles
        self.calendarTokenSHA256 = calendarTokenSHA256
        self.email = email
        self.ntfyTopic = ntfyTopic
        self.apiTokenSHA256 = apiTokenSHA256
    }

    enum CodingKeys: String, CodingKey {
        case id, name, phone, contacts, roles
    }
}
