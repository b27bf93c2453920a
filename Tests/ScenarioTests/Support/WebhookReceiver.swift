import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The receiver's own server logs nothing below critical: the daemon's log is the one that matters.
private let quiet: Logger = {
    var logger = Logger(label: "receiver")
    logger.logLevel = .critical
    return logger
}()

/// A real HTTP server on 127.0.0.1 that records every page it is sent (a POST to `/pages` or any
/// path under it), and answers with the statuses a test scripts (200 once the script runs out),
/// after holding the request open if told.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var path: String
        /// The query string, without its `?`; empty when there is none.
        var query: String
        var headers: [String: String]
        var body: Data
        var arrivedAt: Date

        /// A request header, by name in any case.
        func header(_ name: String) -> String? { headers[name.lowercased()] }

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    private let state = Locked<Script>(Script())

    struct Script: Sendable {
        var deliveries: [Delivery] = []
        var script: [Int] = []
        var hold: Duration = .zero
        /// Holds for the next requests, in order, before `hold` applies again.
        var holds: [Duration] = []
        /// Sent as `Retry-After` with each 429 or 503 answer.
        var retryAfter: String?
    }
    private let portBox = Locked<Int?>(nil)
    private let task = Locked<Task<Void, any Error>?>(nil)

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// Answers the next requests with these statuses, in order; a 429 or 503 says `Retry-After`.
    func script(_ statuses: [Int], retryAfter: String? = nil) {
        state.withLock {
            $0.script = statuses
            $0.retryAfter = retryAfter
        }
    }

    /// Holds each request open this long after recording it, before answering: pages stay in flight.
    func hold(_ duration: Duration) {
        state.withLock { $0.hold = duration }
    }

    /// Holds the next requests open these long, in order of arrival; then `hold` again.
    func hold(each durations: [Duration]) {
        state.withLock { $0.holds = durations }
    }

    var url: String { "http://127.0.0.1:\(portBox.withLock { $0 }!)/pages" }

    func start() async throws {
        let router = Router()
        let record: @Sendable (Request, BasicRequestContext) async throws -> Response = { [state] request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let (status, hold, retryAfter) = state.withLock { value -> (Int, Duration, String?) in
                value.deliveries.append(
                    Delivery(
                        path: request.uri.path, query: request.uri.query ?? "", headers: headers,
                        body: Data(buffer: body), arrivedAt: Date()))
                let hold = value.holds.isEmpty ? value.hold : value.holds.removeFirst()
                return (value.script.isEmpty ? 200 : value.script.removeFirst(), hold, value.retryAfter)
            }
            if hold > .zero { try? await Task.sleep(for: hold) }
            var response = Response(status: .init(code: status))
            if let retryAfter, status == 429 || status == 503 { response.headers[.retryAfter] = retryAfter }
            return response
        }
        router.post("/pages", use: record)
        // SMS gateways are posted to paths under their base URL.
        router.post("/pages/**", use: record)
        // A heartbeat (dead-man's switch) is a GET.
        router.get("/pages/**", use: record)
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) },
            logger: quiet)
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        for await port in ready.stream {
            portBox.withLock { $0 = port }
            break
        }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    /// Waits until at least `count` pages have arrived.
    func waitFor(_ count: Int, timeout: TimeInterval = 10) async -> [Delivery] {
        _ = await eventually(timeout: timeout) { deliveries.count >= count }
        return deliveries
    }
}
