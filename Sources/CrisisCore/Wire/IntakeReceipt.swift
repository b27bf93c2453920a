import Foundation

/// The answer to a crisis report. It is sent only once the crisis is on disk.
public struct IntakeReceipt: Codable, Sendable, Equatable {
    public struct Paged: Codable, Sendable, Equatable {
        public var person: String
        public var name: String
        public var phone: String
        public var reason: String

        public init(person: String, name: String, phone: String, reason: String) {
            self.person = person
            self.name = name
            self.phone = phone
            self.reason = reason
        }
    }

    public var reference: CrisisReference
    public var status: String
    /// False when an `Idempotency-Key` named a crisis received before: nothing new was created.
    public var created: Bool
    public var receivedAt: Date
    public var drill: Bool
    public var paged: [Paged]
    public var noOneOnDuty: Bool
    public var clocks: [ResponseClock]

    public init(
        reference: CrisisReference, created: Bool, receivedAt: Date, drill: Bool, paged: [Paged], noOneOnDuty: Bool,
        clocks: [ResponseClock]
    ) {
        self.reference = reference
        self.status = "received"
        self.created = created
        self.receivedAt = receivedAt
        self.drill = drill
        self.paged = paged
        self.noOneOnDuty = noOneOnDuty
        self.clocks = clocks
    }

    enum CodingKeys: String, CodingKey {
        case reference, status, created, drill, paged, clocks
        case receivedAt = "received_at"
        case noOneOnDuty = "no_one_on_duty"
    }
}
