import Foundation

/// A step of the response, recorded by the provider with who and when.
public struct Milestone: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A psychologist has spoken with the affected person(s): meets the contact clock.
        case contacted
        /// A crisis psychologist (`to`) is sent to the site.
        case dispatched
        /// The crisis psychologist has arrived: meets the on-site clock.
        case onsite
        /// The chief psychologist judges no on-site help is needed (`reason`): waives the on-site clock.
        case waiveOnsite = "waive-onsite"
        /// The crisis is closed (`outcome`).
        case resolved

        public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }

    public var kind: Kind
    /// When it happened; may be earlier than when it was recorded, never later.
    public var at: Date
    public var by: String
    /// The crisis psychologist sent, for `dispatched`.
    public var to: String?
    /// Why the on-site clock was waived.
    public var reason: String?
    /// How the crisis ended, for `resolved`. Free text: kept in the database only.
    public var outcome: String?

    public init(kind: Kind, at: Date, by: String, to: String? = nil, reason: String? = nil, outcome: String? = nil) {
        self.kind = kind
        self.at = at
        self.by = by
        self.to = to
        self.reason = reason
        self.outcome = outcome
    }
}

/// The body of `POST /v1/crises/REF/milestones`, before it is checked.
public struct MilestoneRequest: Sendable, Equatable, Codable {
    public var milestone: String?
    public var at: Date?
    public var by: String?
    public var to: String?
    public var reason: String?
    public var outcome: String?

    public init(
        milestone: String?, at: Date? = nil, by: String? = nil, to: String? = nil, reason: String? = nil,
        outcome: String? = nil
    ) {
        self.milestone = milestone
        self.at = at
        self.by = by
        self.to = to
        self.reason = reason
        self.outcome = outcome
    }
}
