import Foundation

/// A Standard Webhooks signing secret (standardwebhooks.com): `whsec_` and the key in base64, as
/// receivers' libraries take it, so they verify crisisd's pages without code of their own.
public struct WebhookSecret: Sendable, Equatable {
    public static let prefix = "whsec_"
    /// The spec asks for keys of 24 to 64 bytes.
    public static let keyBytes = 24...64

    /// The key the signature is computed with.
    public let key: [UInt8]

    /// Reads `text`; the error says what is wrong in words for the config's reader.
    public init(_ text: String) throws(FieldError) {
        guard text.hasPrefix(Self.prefix) else {
            throw FieldError(
                field: "secret",
                "must be a Standard Webhooks secret: whsec_ and 24 to 64 random bytes in base64 "
                    + "(make one with: echo \"whsec_$(openssl rand -base64 32)\")")
        }
        guard let key = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))) else {
            throw FieldError(field: "secret", "is not base64 after whsec_")
        }
        guard Self.keyBytes.contains(key.count) else {
            throw FieldError(
                field: "secret", "holds a \(key.count)-byte key: use 24 to 64 random bytes (32 is usual)")
        }
        self.key = Array(key)
    }
}
