import CrisisApp
import CrisisConfig
import CrisisNotify
import CrisisStorage
import CrisisTesting
import Foundation
import Logging

/// The whole app, in this process, on a manual clock: the same `Daemon.run` as the executable,
/// with its listeners on a free port and a socket of its own, and events sent by the test.
/// Deadlines of minutes or hours pass when the test moves the clock, not in real time.
final class InProcessDaemon: Sendable {
    let clock: ManualClock
    let folder: URL
    let port: Int
    let configPath: String
    private let lines = Locked<[String]>([])
    private let events: AsyncStream<DaemonEvent>.Continuation
    private let task: Task<Void, any Error>

    /// - Parameters:
    ///   - config: the TOML after the daemon's own settings (see `TestDaemon`).
    ///   - now: where the manual clock starts.
    ///   - store: the store to run on; by default the SQLite file in the app's own folder.
    init(config: String, now: Date, store: (any CrisisStore)? = nil) async throws {
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "crisisd-app-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = freePort()
        configPath = folder.appendingPathComponent("crisisd.toml").path
        let settings = TestDaemon.settings(folder: folder, port: port)
        try (settings + config).write(toFile: configPath, atomically: true, encoding: .utf8)
        let loaded = try ConfigLoader.load(path: configPath)
        let clock = ManualClock(now: now)
        self.clock = clock
        let (stream, events) = AsyncStream.makeStream(of: DaemonEvent.self)
        self.events = events
        let lines = lines
        let logger = Logger(label: "crisisd-in-process") { _ in RecordingLogHandler(lines: lines) }
        let path = configPath
        task = Task {
            try await Daemon.run(
                config: loaded, configPath: path, logger: logger, clock: clock, store: store, events: stream)
        }
        let port = port
        let up = await eventually(timeout: 20) {
            if case .success(let reply) = await CurlHTTPClient.send(
                HTTPCall(url: "http://127.0.0.1:\(port)/healthz", timeout: 2))
            {
                return reply.status == 200
            }
            return false
        }
        guard up else {
            await stop()
            throw TestFailure("the in-process daemon did not come up on port \(port)")
        }
    }

    /// A request to the app's TCP listener with a requester's token (by default the one every test has).
    func request(
        _ method: String, _ path: String, json: String? = nil, token: String = TestDaemon.token
    ) async -> Result<HTTPReply, HTTPCallFailure> {
        var headers = [("Authorization", "Bearer \(token)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return await CurlHTTPClient.send(
            HTTPCall(
                method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers,
                body: json.map { Array($0.utf8) },
                timeout: 10))
    }

    /// A test that ended early (a thrown error) without `stop()` still shuts its app down.
    deinit { events.yield(.shutdown) }

    func reload() { events.yield(.reload) }

    /// What the app has logged so far, a line per entry.
    var log: String { lines.value.joined(separator: "\n") }

    /// Runs crisisctl against this app's config (its control socket).
    ///
    /// On a thread of its own: waiting for the child on Swift's cooperative pool would hold one
    /// of this machine's two pool threads, which the app in this same process needs to answer it.
    func ctl(_ arguments: [String]) async throws -> CommandResult {
        let arguments = arguments + ["--config", configPath]
        return try await OwnThread.run { Result { try runCommand(Binaries.crisisctl, arguments) } }.get()
    }

    /// Shuts the app down gracefully, as SIGTERM does, and waits for it to end.
    func stop() async {
        events.yield(.shutdown)
        _ = await task.result
        try? FileManager.default.removeItem(at: folder)
    }
}
