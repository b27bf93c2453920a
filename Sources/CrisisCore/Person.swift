/// Someone who can be paged: a chief psychologist, a crisis psychologist or a service lead.
public struct Person: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var phone: String
    /// Channel ids, in order.
    public var contacts: [String]

    public init(id: String, name: String, phone: String, contacts: [String]) {
        self.id = id
        self.name = name
        self.phone = phone
        self.contacts = contacts
    }
}
