/// How a generic SMS gateway's inbound webhook (a reply to a page) is checked and read: the
/// shared secret it sends, and the names of the form fields that carry the sender and the text.
public struct GenericSMSInbound: Sendable, Equatable {
    /// The shared secret as the config gives it: the secret itself, or its SHA-256 in hex.
    public enum Secret: Sendable, Equatable {
        case plain(String)
        case sha256(String)
    }

    /// 46elks' names; other gateways set `inbound_from_field` / `inbound_body_field`.
    public static let defaultFromField = "from"
    public static let defaultBodyField = "message"
    /// Shorter secrets could be guessed by a patient caller.
    public static let minimumSecretLength = 16

    public var secret: Secret
    public var fromField: String
    public var bodyField: String

    public init(
        secret: Secret, fromField: String = Self.defaultFromField, bodyField: String = Self.defaultBodyField
    ) {
        self.secret = secret
        self.fromField = fromField
        self.bodyField = bodyField
    }
}
