import Foundation

/// The answer to an acknowledgement.
public struct AckReceipt: Codable, Sendable, Equatable {
    public var reference: CrisisReference
    public var acknowledgedAt: Date
    public var acknowledgedBy: String
    /// True when the crisis had been acknowledged before; the first acknowledgement stands.
    public var alreadyAcknowledged: Bool
    /// Pages still waiting for a (re)try that the acknowledgement stopped.
    public var cancelledPages: Int

    public init(
        reference: CrisisReference, acknowledgedAt: Date, acknowledgedBy: String, alreadyAcknowledged: Bool,
        cancelledPages: Int
    ) {
        self.reference = reference
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.alreadyAcknowledged = alreadyAcknowledged
        self.cancelledPages = cancelledPages
    }

    enum CodingKeys: String, CodingKey {
        case reference
        case acknowledgedAt = "acknowledged_at"
        case acknowledgedBy = "acknowledged_by"
        case alreadyAcknowledged = "already_acknowledged"
        case cancelledPages = "cancelled_pages"
    }
}

/// The body of `POST /v1/crises/REF/ack`.
public struct AckRequest: Codable, Sendable, Equatable {
    public var by: String?

    public init(by: String? = nil) { self.by = by }
}
