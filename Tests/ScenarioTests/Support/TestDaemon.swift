import CrisisNotify
import Foundation
import Synchronization
import Testing

/// The real crisisd binary on a config and state folder of its own, on a free port.
final class TestDaemon: Sendable {
    static let token = "test-token-for-the-albertslund-requester"
    static let secret = "whsec_Y3Jpc2lzZC10ZXN0LXNpZ25pbmcta2V5LTMyLWJ5dGU="

    let folder: URL  // the daemon's config, state and logs
    let port: Int
    let configPath: String
    private let process = Mutex<Process?>(nil)
    private let runs = Mutex(0)
    private let ready = Mutex<Date?>(nil)

    /// When the last start saw both listeners answer.
    var readyAt: Date? { ready.withLock { $0 } }

    var socketPath: String { folder.appendingPathComponent("control.sock").path }
    var databasePath: String { folder.appendingPathComponent("state/crisisd.sqlite").path }
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var stdoutPath: String { folder.appendingPathComponent("stdout-\(runs.withLock { $0 }).log").path }
    var stderrPath: String { folder.appendingPathComponent("stderr-\(runs.withLock { $0 }).log").path }

    /// - Parameter config: the TOML after the daemon's own settings: people, channels, rotations,
    ///   escalation. `Self.settings` writes state_dir, listen, socket and the requester for you.
    ///   - http: more keys for the `[http]` section (`idle_timeout`, `max_connections`).
    init(config: String, http: String = "") throws {
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "crisisd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = freePort()
        configPath = folder.appendingPathComponent("crisisd.toml").path
        let settings = Self.settings(folder: folder, port: port, http: http)
        self.settings = settings
        try (settings + config).write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    private let settings: String

    /// The daemon's own settings for a test: its state and socket in `folder`, the listener on
    /// `port`, and the requester with `token`. The real binary and the in-process app share them.
    static func settings(folder: URL, port: Int, http: String = "") -> String {
        """
        timezone = "Europe/Copenhagen"
        state_dir = "\(folder.appendingPathComponent("state").path)"

        [http]
        listen = "127.0.0.1:\(port)"
        \(http)

        [control]
        socket = "\(folder.appendingPathComponent("control.sock").path)"

        [[requesters]]
        id = "albertslund"
        token_sha256 = "\(sha256Hex(token))"

        """
    }

    /// Replaces everything after the daemon's own settings, as an administrator editing the file would.
    func rewrite(config: String) throws {
        try (settings + config).write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Sends a signal to the running daemon (SIGHUP: reload).
    func signal(_ number: Int32) {
        process.withLock { child in
            guard let child, child.isRunning else { return }
            kill(child.processIdentifier, number)
        }
    }

    /// Starts crisisd and waits until it answers on both listeners.
    func start(environment: [String: String] = [:]) async throws {
        runs.withLock { $0 += 1 }
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let child = Process()
        child.executableURL = Binaries.crisisd
        child.arguments = ["--config", configPath]
        // Its log on standard error, where tests read it, even with a journald on the machine;
        // a test of the journal passes LOG_TARGET itself.
        child.environment = ProcessInfo.processInfo.environment.merging(["LOG_TARGET": "stderr"]) { _, new in new }
            .merging(environment) { _, new in new }
        child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        child.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        child.standardInput = FileHandle.nullDevice
        try child.run()
        process.withLock { $0 = child }
        let up = await eventually(timeout: 20) {
            guard child.isRunning else { return true }  // exited: stop waiting, report below
            let tcp = await self.request("GET", "/healthz")
            let socket = await CurlHTTPClient.send(
                HTTPCall(url: "http://localhost/healthz", timeout: 2, unixSocket: self.socketPath))
            if case .success(let a) = tcp, a.status == 200, case .success(let b) = socket, b.status == 200 {
                return true
            }
            return false
        }
        guard up, child.isRunning else {
            throw TestFailure("crisisd did not come up: \(log)")
        }
        ready.withLock { $0 = Date() }
    }

    /// The running daemon's process id, for tools that attach to it (strace).
    var processIdentifier: Int32? {
        process.withLock { child in child?.isRunning == true ? child?.processIdentifier : nil }
    }

    /// SIGKILL: no chance to flush or clean up, as in a power cut.
    func kill9() {
        process.withLock { child in
            guard let child, child.isRunning else { return }
            kill(child.processIdentifier, SIGKILL)
            if !child.waitForExit(timeout: 20) {
                Issue.record("crisisd (pid \(child.processIdentifier)) still runs 20 s after SIGKILL")
            }
        }
    }

    /// How long a stop may take: the pages in flight finish first, each within the `[delivery]`
    /// timeout the scenarios set (3 s).
    static let stopLimit: TimeInterval = 30

    /// SIGTERM, as systemd stops it; returns the exit status.
    @discardableResult
    func terminate() -> Int32 {
        process.withLock { child in
            guard let child else { return -1 }
            if child.isRunning {
                child.terminate()
                if !child.waitForExit(timeout: Self.stopLimit) {
                    // A hung stop must fail its own test, with the daemon's threads, not stall the run.
                    let stacks = threadStacks(of: child.processIdentifier)
                    kill(child.processIdentifier, SIGKILL)
                    let ended = child.waitForExit(timeout: 20)
                    Issue.record(
                        """
                        crisisd did not stop within \(Int(Self.stopLimit)) s of SIGTERM and was killed. Its threads:
                        \(stacks)
                        Its log's end:
                        \(log.suffix(6000))
                        """)
                    // Foundation traps on the status of a process still running.
                    guard ended else { return -1 }
                }
            }
            return child.terminationStatus
        }
    }

    var log: String {
        ((try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "")
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// An HTTP request to the TCP listener, with the requester's token unless told otherwise.
    func request(
        _ method: String, _ path: String, json: String? = nil, token: String? = TestDaemon.token,
        headers: [(String, String)] = []
    ) async -> Result<HTTPReply, HTTPCallFailure> {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        if json != nil { all.append(("Content-Type", "application/json")) }
        return await CurlHTTPClient.send(
            HTTPCall(method: method, url: baseURL + path, headers: all, body: json.map { Array($0.utf8) }, timeout: 10))
    }

    /// An HTTP request to the control socket, crisisctl's full-access listener: no token.
    func control(_ method: String, _ path: String, json: String? = nil) async -> Result<HTTPReply, HTTPCallFailure> {
        await CurlHTTPClient.send(
            HTTPCall(
                method: method, url: "http://localhost" + path,
                headers: json == nil ? [] : [("Content-Type", "application/json")], body: json.map { Array($0.utf8) },
                timeout: 10, unixSocket: socketPath))
    }

    /// Runs crisisctl against this daemon's config.
    func ctl(_ arguments: [String]) throws -> CommandResult {
        try runCommand(Binaries.crisisctl, arguments + ["--config", configPath])
    }

    func cleanUp() {
        terminate()
        try? FileManager.default.removeItem(at: folder)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Result where Success == HTTPReply, Failure == HTTPCallFailure {
    /// The reply, or a test failure saying the request never got one.
    func reply() throws -> HTTPReply {
        switch self {
        case .success(let reply): return reply
        case .failure(let failure): throw TestFailure("no HTTP answer: \(failure.message)")
        }
    }
}

extension HTTPReply {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
}
