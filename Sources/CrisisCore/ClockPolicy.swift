import Foundation

/// The configured lengths of the clocks (`[clocks]` in the config).
public struct ClockPolicy: Sendable, Equatable {
    /// Whether the contact clock runs for crises about a group as well as for individuals.
    public enum ContactScope: String, Sendable, CaseIterable {
        case all
        case individual
    }

    public var ack: TimeSpan
    public var contact: TimeSpan
    public var onsite: TimeSpan
    public var warnBefore: TimeSpan
    public var contactAppliesTo: ContactScope

    public init(
        ack: TimeSpan = TimeSpan(seconds: 300), contact: TimeSpan = TimeSpan(seconds: 3600),
        onsite: TimeSpan = TimeSpan(seconds: 4 * 3600), warnBefore: TimeSpan = TimeSpan(seconds: 900),
        contactAppliesTo: ContactScope = .all
    ) {
        self.ack = ack
        self.contact = contact
        self.onsite = onsite
        self.warnBefore = warnBefore
        self.contactAppliesTo = contactAppliesTo
    }

    /// The clocks a crisis starts with, all counted from first contact.
    public func startClocks(firstContact: Date, group: Bool) -> [ResponseClock] {
        func contract(_ kind: ClockKind, _ span: TimeSpan) -> ResponseClock {
            let due = firstContact + span.seconds
            let warnAt = warnBefore.seconds < span.seconds ? due - warnBefore.seconds : nil
            return ResponseClock(kind: kind, startedAt: firstContact, dueAt: due, warnAt: warnAt)
        }
        var clocks = [ResponseClock(kind: .ack, startedAt: firstContact, dueAt: firstContact + ack.seconds)]
        if !group || contactAppliesTo == .all {
            clocks.append(contract(.contact, contact))
        }
        clocks.append(contract(.onsite, onsite))
        return clocks
    }
}
