import Foundation

/// Where `swift build` put crisisd and crisisctl: beside the test bundle.
enum Binaries {
    static let directory: URL = {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ].compactMap { $0 }
        for candidate in candidates
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("crisisd").path) {
            return candidate
        }
        fatalError("crisisd is not built beside the tests (looked in \(candidates.map(\.path))): run swift build first")
    }()

    static var crisisd: URL { directory.appendingPathComponent("crisisd") }
    static var crisisctl: URL { directory.appendingPathComponent("crisisctl") }
}

/// A TCP port that is free now, for a daemon to listen on.
///
/// It is drawn from 20000-29999, below Linux's ephemeral range (32768-60999), so that no
/// receiver bound to port 0 and no outgoing connection can take it before the daemon binds.
/// Ports are handed out in turn, so two daemons started at once never get the same one.
func freePort() -> Int {
    while true {
        let port = nextPort.withLock { port in
            port = port >= 29999 ? 20000 : port + 1
            return port
        }
        if canBind(port) { return port }
    }
}

private let nextPort = Locked(Int.random(in: 20000...29000))

private func canBind(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    } == 0
}

/// Polls until `condition` holds or `timeout` passes. Tests wait on real processes this way.
func eventually(timeout: TimeInterval = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date() + timeout
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return try await condition()
}
