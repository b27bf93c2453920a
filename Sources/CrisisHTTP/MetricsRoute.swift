import Foundation
import HTTPTypes
import Hummingbird

/// `GET /metrics` on the TCP listener, for Prometheus: open like any exporter, or, with
/// `[http] metrics_token_sha256`, only to `Authorization: Bearer TOKEN` (Prometheus'
/// `authorization: { credentials_file: … }`). The token is read on every scrape, so a reload
/// that sets or changes it takes effect at once.
public enum MetricsRoute {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// - Parameters:
    ///   - tokenSHA256: the hash in force, or nil when the route is open.
    ///   - exposition: the metrics in Prometheus' text format.
    public static func add(
        to router: Router<CrisisRequestContext>, tokenSHA256: @escaping @Sendable () -> String?,
        exposition: @escaping @Sendable () async -> [UInt8]
    ) {
        router.get("/metrics") { request, _ in
            if let hash = tokenSHA256() {
                guard let token = bearerToken(request.headers[.authorization]), Access.token(token, matches: hash)
                else {
                    return Response(
                        status: .unauthorized,
                        headers: [.wwwAuthenticate: "Bearer realm=\"crisisd metrics\"", .contentType: "text/plain"],
                        body: .init(byteBuffer: ByteBuffer(string: "send the metrics token as Authorization: Bearer\n"))
                    )
                }
            }
            let body = await exposition()
            return Response(
                status: .ok, headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
        let token = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
