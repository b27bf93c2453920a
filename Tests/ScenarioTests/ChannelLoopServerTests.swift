import CrisisHTTP
import CrisisNotify
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

/// The API's server runs each request on the event loop that read it, so a trigger's page does
/// not wait for another thread to wake; a handler that awaits gives the loop back to the other
/// connections on it.
@Suite struct ChannelLoopServerTests {
    struct LoopContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    /// Requests held until the test opens the gate.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        var waitingCount: Int { state.withLock { $0.waiting.count } }

        func wait() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    @Test func aRequestRunsOnTheEventLoopThatReadItBeforeAndAfterAnAwait() async throws {
        let router = Router(context: LoopContext.self)
        router.get("where") { _, context -> String in
            let before = context.channel.eventLoop.inEventLoop
            try await Task.sleep(for: .milliseconds(1))
            return "\(before) \(context.channel.eventLoop.inEventLoop)"
        }
        try await Self.serving(router) { base in
            let reply = try await Self.get(base + "/where")
            #expect(reply.status == 200)
            #expect(String(decoding: reply.body, as: UTF8.self) == "true true")
        }
    }

    @Test func requestsThatAwaitHoldUpNoOtherConnection() async throws {
        let gate = Gate()
        let router = Router(context: LoopContext.self)
        router.get("wait") { _, _ -> String in
            await gate.wait()
            return "waited"
        }
        router.get("now") { _, _ in "now" }
        try await Self.serving(router) { base in
            // Connections are dealt to the loops in turn: eight waiting requests leave none free.
            let waiting = 8
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<waiting {
                    group.addTask { String(decoding: try await Self.get(base + "/wait").body, as: UTF8.self) }
                }
                let deadline = ContinuousClock.now + .seconds(20)
                while gate.waitingCount < waiting, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(gate.waitingCount == waiting, "every waiting request reached its handler")

                let now = try await Self.get(base + "/now")
                #expect(String(decoding: now.body, as: UTF8.self) == "now")

                gate.open()
                var answers: [String] = []
                for try await answer in group { answers.append(answer) }
                #expect(answers == Array(repeating: "waited", count: waiting))
            }
        }
    }

    static func get(_ url: String) async throws -> HTTPReply {
        try await CurlHTTPClient.send(HTTPCall(method: "GET", url: url, headers: [], body: nil, timeout: 10)).get()
    }

    /// Serves `router` on a free loopback port for as long as `body` runs.
    static func serving(
        _ router: Router<LoopContext>, _ body: @Sendable (String) async throws -> Void
    ) async throws {
        let bound = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, server: .http1OnChannelLoop(configuration: .init()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await app.runService(gracefulShutdownSignals: []) }
        var ports = bound.stream.makeAsyncIterator()
        let port = await ports.next() ?? 0
        var failure: (any Error)?
        do { try await body("http://127.0.0.1:\(port)") } catch { failure = error }
        running.cancel()
        _ = await running.result
        if let failure { throw failure }
    }
}
