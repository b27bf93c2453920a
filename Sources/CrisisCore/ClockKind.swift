/// The response clocks of the contract (DOMAIN.md, "The two response clocks").
///
/// A clock is a general idea: a deadline rule, a start event and a stop milestone. Today's kinds
/// are the page acknowledgement and the two contract clocks; the non-acute track adds more.
public enum ClockKind: String, CaseIterable, Codable, Sendable {
    /// The chief psychologist acknowledges the page.
    case ack
    /// A psychologist has spoken with the affected person(s): 1 hour by contract.
    case contact
    /// A crisis psychologist has arrived on site: 4 hours by contract.
    case onsite

    /// Whether an acknowledgement stops this clock (the others stop at a milestone).
    public var stopsOnAcknowledgement: Bool { self == .ack }

    public var label: String {
        switch self {
        case .ack: "acknowledge"
        case .contact: "contact"
        case .onsite: "on site"
        }
    }
}

/// How a clock ended. A running clock has none.
public enum ClockOutcome: String, Codable, Sendable {
    case met
    case waived
    case breached
}
