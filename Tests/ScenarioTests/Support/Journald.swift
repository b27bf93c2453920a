import Foundation

/// A real systemd-journald for a test: the machine's own when one answers on its socket, else
/// one the test starts (as root) and stops again.
final class Journald: Sendable {
    static let binary = "/lib/systemd/systemd-journald"
    static let socket = "/run/systemd/journal/socket"
    static let journalctl = "/bin/journalctl"

    /// The journald this test started, if it had to.
    private let started: Process?

    private init(started: Process?) {
        self.started = started
    }

    /// The running journald, started if none answers; nil when it cannot be (no binary, not root).
    static func ensure() async -> Journald? {
        if answers() { return Journald(started: nil) }
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: binary) else { return nil }
        // A journald that stopped leaves its socket file behind: that one is dead, replace it.
        unlink(socket)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: binary)
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        guard (try? child.run()) != nil else { return nil }
        let journald = Journald(started: child)
        guard await eventually(timeout: 10, { answers() }) else {
            journald.stop()
            return nil
        }
        return journald
    }

    /// Stops the journald this test started; the machine's own is left alone. Its sockets go
    /// with it, so that a socket there still means a journald listens (crisisd's `LOG_TARGET=auto`
    /// and the next test go by it).
    func stop() {
        guard let started else { return }
        if started.isRunning {
            started.terminate()
            _ = started.waitForExit(timeout: 10)
        }
        for name in ["socket", "stdout", "dev-log", "io.systemd.journal"] {
            unlink("/run/systemd/journal/\(name)")
        }
    }

    /// Whether a journald receives on the socket: a datagram socket connects only to a live one.
    static func answers() -> Bool {
        let descriptor = Foundation.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in socket.utf8.enumerated() { path[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// The entries matching `matches` (`FIELD=value`, as journalctl takes them), each as its
    /// JSON object (`journalctl -o json`), oldest first; and journalctl's whole output, to search.
    static func entries(_ matches: [String]) throws -> (entries: [[String: Any]], text: String) {
        let result = try runCommand(
            URL(fileURLWithPath: journalctl), ["-o", "json", "--no-pager"] + matches)
        let entries = result.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        return (entries, result.stdout)
    }
}
