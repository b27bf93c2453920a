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
        connection.send(
            "POST /v1/crises HTTP/1.1\r\nHost: x\r\n\(Self.authorization)Content-Length: 200\r\n\r\n{\"category\":")
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
        connection.send(
            "POST /v1/crises HTTP/1.1\r\nHost: x\r\n\(Self.authorization)Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
        )
        let reply = connection.readUntilClosed(timeout: 10).text
        #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
        // Still serving.
        #expect(try await scenario.raise()["reference"] != nil)
    }
}

/// Connections that hold a descriptor without finishing a request are closed after
/// `[http] idle_timeout`, and the listener caps how many it holds open at once.
@Suite struct IdleConnectionTests {
    /// anna on duty on chiefs, paged on the console.
    static let config = RotaTests.chiefs(["anna"])

    static let post = """
        POST /v1/crises HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestDaemon.token)\r\n\
        Content-Type: application/json\r\nContent-Length: 64\r\n\r\n
        """

    @Test func silentAndStalledConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let daemon = try TestDaemon(config: Self.config, http: #"idle_timeout = "1s""#)
        defer { daemon.cleanUp() }
        try await daemon.start()
        let silent = try (0..<20).map { _ in try RawConnection(port: daemon.port) }
        let stalledHeaders = try RawConnection(port: daemon.port)
        stalledHeaders.send("POST /v1/crises HTTP/1.1\r\nHost: x\r\n")
        let stalledBody = try RawConnection(port: daemon.port)
        stalledBody.send(Self.post + #"{"category":"#)

        for (index, connection) in silent.enumerated() {
            #expect(connection.readUntilClosed(timeout: 5).closed, "silent connection \(index) is still open")
        }
        #expect(
            stalledHeaders.readUntilClosed(timeout: 5).closed, "a request whose headers stalled holds its connection")
        #expect(stalledBody.readUntilClosed(timeout: 5).closed, "a request whose body stalled holds its connection")
        // Closing them did not stop the listener.
        let reply = try await daemon.request(
            "POST", "/v1/crises", json: #"{"category":"accident","site":"Depot","callback":"+4512345678"}"#
        ).reply()
        #expect(reply.status == 201)
    }

    @Test func atTheConnectionLimitTheDaemonWarnsAndServesTheNextRequestOnceIdleOnesClose() async throws {
        let daemon = try TestDaemon(config: Self.config, http: "idle_timeout = \"2s\"\nmax_connections = 8")
        defer { daemon.cleanUp() }
        try await daemon.start()
        // The daemon's own readiness probe may still hold one; these fill the rest.
        let idle = try (0..<8).map { _ in try RawConnection(port: daemon.port) }
        let reply = try await daemon.request(
            "POST", "/v1/crises", json: #"{"category":"accident","site":"Depot","callback":"+4512345678"}"#
        ).reply()
        #expect(reply.status == 201, "served once the idle connections were closed")
        #expect(daemon.log.contains("connection limit reached"), "\(daemon.log)")
        // One of them may have waited in the backlog and been accepted late: it gets its own 2 s.
        #expect(idle.allSatisfy { $0.readUntilClosed(timeout: 5).closed })
    }
}
