import CrisisCore
import HTTPTypes

extension GenericSMSInbound {
    /// Where a gateway puts the shared secret; `Authorization: Bearer SECRET` is taken too. Never
    /// the URL's query: URLs end up in logs.
    static let secretHeader = HTTPField.Name("X-Crisisd-Secret")!

    /// The secret a request carries, from `X-Crisisd-Secret` or else `Authorization: Bearer`.
    static func presentedSecret(_ headers: HTTPFields) -> String? {
        if let secret = headers[secretHeader] { return secret }
        guard let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer ") else {
            return nil
        }
        return authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
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
