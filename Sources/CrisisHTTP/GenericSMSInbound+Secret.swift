import CrisisCore
import Foundation
import HTTPTypes

extension GenericSMSInbound {
    /// Where a gateway puts the shared secret. `Authorization: Bearer SECRET` is taken too, and
    /// basic auth with the secret as the password (46elks: `https://crisisd:SECRET@host/…`, sent
    /// as a header). Never the URL's query: URLs end up in logs.
    static let secretHeader = HTTPField.Name("X-Crisisd-Secret")!

    /// The secret a request carries, from `X-Crisisd-Secret`, or else `Authorization`.
    static func presentedSecret(_ headers: HTTPFields) -> String? {
        if let secret = headers[secretHeader] { return secret }
        guard let authorization = headers[.authorization] else { return nil }
        let scheme = authorization.prefix { $0 != " " }.lowercased()
        let credentials = authorization.drop { $0 != " " }.trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "bearer":
            return credentials
        case "basic":
            guard let decoded = Data(base64Encoded: credentials), let pair = String(data: decoded, encoding: .utf8),
                let colon = pair.firstIndex(of: ":")
            else { return nil }
            return String(pair[pair.index(after: colon)...])
        default:
            return nil
        }
    }

    /// Whether `presented` is this channel's secret. Hashes are compared, in constant time, so
    /// neither the timing nor the secret's length tells how close a guess was.
    func accepts(_ presented: String?) -> Bool {
        guard let presented, !presented.isEmpty else { return false }
        let expected =
            switch secret {
            case .plain(let text): Access.sha256Hex(text)
            case .sha256(let hash): hash
            }
        return constantTimeEqual(Access.sha256Hex(presented), expected)
    }
}
