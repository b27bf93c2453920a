import CrisisCore
import Crypto
import Foundation

/// Who may call a listener.
public enum Access: Sendable {
    /// The TCP listener: every request but `/healthz` carries `Authorization: Bearer TOKEN`,
    /// checked against the SHA-256 hashes of the configured requesters' and people's tokens.
    /// Read on every request, so a reload that adds or revokes a token takes effect at once.
    case bearerTokens(@Sendable () -> [(caller: Caller, sha256: String)])
    /// The control socket: the file's permissions decide who can connect.
    case localSocket

    /// Who a request comes from, or nil when its token is missing or unknown.
    /// - Parameter peerUser: on the control socket, the connecting user (SO_PEERCRED).
    func caller(authorization: String?, peerUser: String? = nil) -> Caller? {
        switch self {
        case .localSocket:
            return .controlSocket(user: peerUser)
        case .bearerTokens(let current):
            let requesters = current()
            guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
            let token = authorization.dropFirst("bearer ".count).trimmed()
            guard !token.isEmpty else { return nil }
            let hash = Self.sha256Hex(token)
            // Compare every entry in full so that timing does not tell how close a guess was.
            var match: Caller?
            for entry in requesters where constantTimeEqual(hash, entry.sha256) { match = entry.caller }
            return match
        }
    }
}

extension Access {
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).lowercaseHex
    }

    /// Whether `token` hashes to `sha256`, compared in constant time.
    public static func token(_ token: String, matches sha256: String) -> Bool {
        constantTimeEqual(sha256Hex(token), sha256)
    }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}
