import Foundation
import Hummingbird
import NIOCore

/// A real HTTP server on 127.0.0.1 that answers every POST with an error status and echoes the
/// request back (method, path, query, headers, body): the worst a webhook receiver can do to a
/// notifier that quotes its answers. Under `/slow/` it answers only after 3 s.
final class EchoServer: Sendable {
    private let server = LocalHTTPServer()

    /// `http://127.0.0.1:PORT`, with no path.
    var base: String { server.base }

    func start() async throws {
        let router = Router()
        router.post("**") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            if request.uri.path.hasPrefix("/slow/") { try await Task.sleep(for: .seconds(3)) }
            let headers = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            let echo = "\(request.method) \(request.uri)\n\(headers)\n\n\(String(buffer: body))"
            let status: HTTPResponse.Status =
                request.uri.path.hasPrefix("/forbidden/") ? .forbidden : .internalServerError
            return Response(status: status, body: .init(byteBuffer: ByteBuffer(string: echo)))
        }
        try await server.start(router)
    }

    func stop() {
        server.stop()
    }
}
