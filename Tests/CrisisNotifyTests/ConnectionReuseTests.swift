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

    /// Pages to two receivers at once (a webhook and ntfy, say): the handle free last may be the
    /// one whose connection is to the other receiver, and must not be taken while one to this
    /// receiver is free.
    @Test func pagesToTwoServersAtOnceEachReuseTheirOwnConnection() async throws {
        let quick = ConnectionCountingServer()
        let slow = ConnectionCountingServer(answerAfter: .milliseconds(300))
        try await quick.start()
        try await slow.start()
        defer {
            quick.stop()
            slow.stop()
        }
        for number in 1...3 {
            // The slow one's handle comes back last; then a page to the quick one alone.
            async let toSlow = CurlHTTPClient.send(
                HTTPCall(method: "POST", url: slow.base + "/pages", body: Array("page \(number)".utf8)))
            try await Task.sleep(for: .milliseconds(50))
            let toQuick = await CurlHTTPClient.send(
                HTTPCall(method: "POST", url: quick.base + "/pages", body: Array("page \(number)".utf8)))
            #expect((try? toQuick.get().status) == 200)
            #expect((try? await toSlow.get().status) == 200)
            let alone = await CurlHTTPClient.send(
                HTTPCall(method: "POST", url: quick.base + "/pages", body: Array("page \(number)b".utf8)))
            #expect((try? alone.get().status) == 200)
        }
        #expect(quick.requests == 6 && slow.requests == 3)
        #expect(quick.connections == 1, "one connection to the quick server, not \(quick.connections)")
        #expect(slow.connections == 1, "one connection to the slow server, not \(slow.connections)")
    }

    /// Started at a page's hand-over: the request is written on the starting thread and the
    /// reply read on another, and the next one to the server goes on the same connection.
    @Test func callsStartedOneAfterAnotherToOneServerShareOneConnectionAndBringTheirReplies() async throws {
        let server = ConnectionCountingServer()
        try await server.start()
        defer { server.stop() }
        for number in 1...5 {
            let reply = await CurlHTTPClient.started(
                HTTPCall(method: "POST", url: server.base + "/pages", body: Array("page \(number)".utf8)))
            #expect((try? reply.get().status) == 200)
            #expect((try? reply.get().text) == "page \(number) received")
        }
        #expect(server.requests == 5)
        #expect(server.connections == 1, "one connection for five requests, not \(server.connections)")
    }

    /// Sent by the loop, or started at a hand-over.
    @Test(arguments: [false, true])
    func aServerThatClosesItsConnectionsStillGetsEveryRequest(started: Bool) async throws {
        let server = ConnectionCountingServer(closeAfterEach: true)
        try await server.start()
        defer { server.stop() }
        for _ in 1...3 {
            let call = HTTPCall(method: "POST", url: server.base + "/pages", body: [1])
            let reply = started ? await CurlHTTPClient.started(call) : await CurlHTTPClient.send(call)
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
    private let answerAfter: Duration

    init(closeAfterEach: Bool = false, answerAfter: Duration = .zero) {
        self.closeAfterEach = closeAfterEach
        self.answerAfter = answerAfter
    }

    var base: String { server.base }
    var requests: Int { seen.withLock { $0.requests } }
    var connections: Int { seen.withLock { $0.peers.count } }

    func start() async throws {
        let router = Router(context: PeerPortContext.self)
        router.post("**") { [self] request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            seen.withLock {
                $0.requests += 1
                $0.peers.insert(context.peerPort)
            }
            if answerAfter > .zero { try await Task.sleep(for: answerAfter) }
            return Response(
                status: .ok, headers: closeAfterEach ? [.connection: "close"] : [:],
                body: .init(byteBuffer: ByteBuffer(bytes: body.readableBytesView + Array(" received".utf8))))
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
