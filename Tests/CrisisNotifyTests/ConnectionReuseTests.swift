import CrisisNotify
import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing

/// Pages to one receiver reuse the connection the first one opened: a burst of crises does not
/// cost a TCP (or TLS) handshake per page, and the receiver is not flooded with connections.
@Suite struct ConnectionReuseTests {
    @Test func requestsOneAfterAnotherToOneServerShareOneConnection() async throws {
        let server = ConnectionCountingServer()
        try await server.start()
        defer { server.stop() }
        for number in 1...5 {
            let reply = await CurlHTTPClient.send(
                HTTPCall(method: "POST", url: server.base + "/pages", body: Array("page \(number)".utf8)))
            #expect((try? reply.get().status) == 200)
        }
        #expect(server.requests == 5)
        #expect(server.connections == 1, "one connection for five requests, not \(server.connections)")
    }

    @Test func aServerThatClosesItsConnectionsStillGetsEveryRequest() async throws {
        let server = ConnectionCountingServer(closeAfterEach: true)
        try await server.start()
        defer { server.stop() }
        for _ in 1...3 {
            let reply = await CurlHTTPClient.send(HTTPCall(method: "POST", url: server.base + "/pages", body: [1]))
            #expect((try? reply.get().status) == 200)
        }
        #expect(server.requests == 3)
        #expect(server.connections == 3)
    }
}

/// A real HTTP server on 127.0.0.1 that counts the connections its requests arrived on.
private final class ConnectionCountingServer: Sendable {
    private let server = LocalHTTPServer()
    private let seen = Mutex<(requests: Int, peers: Set<Int>)>((0, []))
    private let closeAfterEach: Bool

    init(closeAfterEach: Bool = false) {
        self.closeAfterEach = closeAfterEach
    }

    var base: String { server.base }
    var requests: Int { seen.withLock { $0.requests } }
    var connections: Int { seen.withLock { $0.peers.count } }

    func start() async throws {
        let router = Router(context: PeerPortContext.self)
        router.post("**") { [self] request, context -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 1 << 16)
            seen.withLock {
                $0.requests += 1
                $0.peers.insert(context.peerPort)
            }
            return Response(status: .ok, headers: closeAfterEach ? [.connection: "close"] : [:])
        }
        try await server.start(router)
    }

    func stop() {
        server.stop()
    }
}

/// The client's port: one per TCP connection.
private struct PeerPortContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peerPort: Int

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerPort = source.channel.remoteAddress?.port ?? -1
    }
}
