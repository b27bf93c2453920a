import CrisisNotify
import Foundation
import Testing

/// A call started at a page's hand-over (`CurlHTTPClient.start`) fails as one sent by the
/// sender's loop does: the same retryable failures, and none that hangs past its timeout.
@Suite struct StartedCallTests {
    func started(_ call: HTTPCall) async -> Result<HTTPReply, HTTPCallFailure> {
        await withCheckedContinuation { continuation in
            CurlHTTPClient.start(call) { continuation.resume(returning: $0) }
        }
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
