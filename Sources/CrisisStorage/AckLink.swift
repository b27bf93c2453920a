import CrisisCore
import Foundation

/// A link that lets one person act on one crisis from their phone (`{public_url}/a/TOKEN`).
/// The store keeps only the token's SHA-256; the token itself exists in the page it was sent in.
public struct AckLink: Sendable, Equatable {
    public var reference: CrisisReference
    /// The person paged, who acts through it.
    public var person: String
    public var issuedAt: Date
    public var expiresAt: Date

    public init(reference: CrisisReference, person: String, issuedAt: Date, expiresAt: Date) {
        self.reference = reference
        self.person = person
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// Valid until it expires or the crisis is resolved, whichever comes first.
    public func isValid(at now: Date, resolved: Bool) -> Bool { !resolved && now < expiresAt }
}
