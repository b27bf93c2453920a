import CrisisNotify
import Foundation
import Testing

/// A call started at a page's hand-over (`CurlHTTPClient.start`) fails as one sent by the
/// sender's loop does: the same retryable failures, and none that hangs past its timeout.
@Suite struct StartedCallTests {
    func started(_ call: HTTPCall) async -> Result<HTTPReply, HTTPCallFailure> {
        await CurlHTTPClient.started(call)
    }

    @Test func aServerNothingListensOnIsACallThatCouldNotConnectAndMayBeTriedAgain() async {
        // Nothing listens on port 1 of loopback.
        let reply = await started(HTTPCall(method: "POST", url: "http://127.0.0.1:1/hooks", body: [1], timeout: 2))
        guard case .failure(let failure) = reply else {
            Issue.record("expected a failure, got \(reply)")
            return
        }
        #expect(failure.couldNotConnect)
        #expect(failure.retryable)
        let sent = CurlHTTPClient.perform(HTTPCall(method: "POST", url: "http://127.0.0.1:1/hooks", body: [1]))
        #expect(sent.failureCode == failure.code, "the same failure as a call sent by the loop")
    }

    @Test func aServerSlowerThanTheTimeoutEndsTheCallAtTheTimeout() async throws {
        let server = EchoServer()
        try await server.start()
        defer { server.stop() }
        let began = ContinuousClock.now
        let reply = await started(HTTPCall(method: "POST", url: server.base + "/slow/hook", body: [1], timeout: 0.3))
        let took = ContinuousClock.now - began
        guard case .failure(let failure) = reply else {
            Issue.record("expected a timeout, got \(reply)")
            return
        }
        #expect(failure.retryable && !failure.couldNotConnect, "\(failure)")
        #expect(failure.message.localizedCaseInsensitiveContains("timeout"), "\(failure)")
        #expect(took < .seconds(2), "the server answers after 3 s; the call gave up after \(took)")
    }

    /// The handles a timed-out call used go back to the pool: the next call to the server, an
    /// empty body and a large one, each bring back their own reply, byte for byte.
    @Test func afterACallTimedOutTheNextCallsToTheServerBringTheirReplies() async throws {
        let server = EchoServer()
        try await server.start()
        defer { server.stop() }
        _ = await started(HTTPCall(method: "POST", url: server.base + "/slow/hook", body: [1], timeout: 0.2))
        let large = (0..<200_000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        for body: [UInt8] in [[], Array("page 2".utf8), large] {
            let reply = await started(HTTPCall(method: "POST", url: server.base + "/echo", body: body, timeout: 5))
            guard case .success(let answer) = reply else {
                Issue.record("expected the server's answer, got \(reply)")
                continue
            }
            #expect(answer.status == 500, "the echo server's answer")
            #expect(answer.body.suffix(body.count + 2) == [10, 10] + body, "the body sent, echoed back whole")
        }
    }

    @Test func aMalformedURLIsACallNotWorthTryingAgain() async {
        let reply = await started(HTTPCall(method: "POST", url: "htp:/nowhere", body: [1]))
        guard case .failure(let failure) = reply else {
            Issue.record("expected a failure, got \(reply)")
            return
        }
        #expect(!failure.retryable, "\(failure)")
    }
}

extension Result<HTTPReply, HTTPCallFailure> {
    var failureCode: Int? {
        guard case .failure(let failure) = self else { return nil }
        return failure.code
    }
}

extension CurlHTTPClient {
    /// The reply to `call`, started as at a page's hand-over.
    static func started(_ call: HTTPCall) async -> Result<HTTPReply, HTTPCallFailure> {
        await withCheckedContinuation { continuation in
            start(call) { continuation.resume(returning: $0) }
        }
    }
}
