import Foundation
import Hummingbird
import Logging
import Synchronization

/// A real Hummingbird server on 127.0.0.1 and a free port, quiet, for the notify tests' stand-ins.
final class LocalHTTPServer: Sendable {
    private let port = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// `http://127.0.0.1:PORT`, with no path.
    var base: String { "http://127.0.0.1:\(port.withLock { $0 }!)" }

    /// Starts serving `router`; returns once the port is bound.
    func start<Context: RequestContext>(_ router: Router<Context>) async throws
    where Context.Source == ApplicationRequestContextSource {
        var quiet = Logger(label: "local-http")
        quiet.logLevel = .critical
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) }, logger: quiet)
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        for await bound in ready.stream {
            port.withLock { $0 = bound }
            break
        }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}
