import Foundation

/// The body of `POST /v1/board-link` and its answer: a signed link to the ops board.
public struct BoardLink: Codable, Sendable, Equatable {
    /// The request: how long the link opens the board, as `12h` or `3d` (default 12h).
    public struct Request: Codable, Sendable, Equatable {
        public var validFor: String?

        public init(validFor: String?) { self.validFor = validFor }

        enum CodingKeys: String, CodingKey {
            case validFor = "valid_for"
        }
    }

    public static let defaultValidity: TimeInterval = 12 * 3600
    /// A link is a bearer secret in a browser's history: it must not open the board for long.
    public static let longestValidity: TimeInterval = 31 * 86_400

    public var url: String
    public var expiresAt: Date

    public init(url: String, expiresAt: Date) {
        self.url = url
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case url
        case expiresAt = "expires_at"
    }
}
