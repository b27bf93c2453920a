import Foundation
import Testing

/// What the listener does with connections that misbehave: bad framing is the client's error,
/// and a connection that sends nothing is closed so that it cannot hold a descriptor forever.
@Suite struct ConnectionTests {
    static let authorization = "Authorization: Bearer \(TestDaemon.token)\r\nContent-Type: application/json\r\n"

    @Test func aBodyShorterThanItsContentLengthIsABadRequest() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let connection = try RawConnection(port: scenario.daemon.port)
        connection.send("POST /v1/crises HTTP/1.1\r\nHost: x\r\n\(Self.authorization)Content-Length: 200\r\n\r\n{\"category\":")
        connection.finishSending()
        let reply = connection.readUntilClosed(timeout: 10).text
        #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
        #expect(reply.contains(#""field":"body""#), "\(reply)")
        #expect(!scenario.daemon.log.contains("request failed"), "a client's error is not logged as ours")
    }

    @Test func malformedChunkedEncodingIsABadRequest() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let connection = try RawConnection(port: scenario.daemon.port)
        connection.send("POST /v1/crises HTTP/1.1\r\nHost: x\r\n\(Self.authorization)Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        let reply = connection.readUntilClosed(timeout: 10).text
        #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
        // Still serving.
        #expect(try await scenario.raise()["reference"] != nil)
    }
}
