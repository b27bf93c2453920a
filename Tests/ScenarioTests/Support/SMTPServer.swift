import Foundation

/// A real SMTP server for e-mail pages: aiosmtpd (Debian's python3-aiosmtpd, installed by
/// `scripts/setup --tests`) on a free loopback port, saving each message it takes to a folder
/// with its envelope beside it. Recipients' local parts script its answers: `later` gets 451
/// and `nobody` 550 to RCPT; `full` gets 452 and `refused` 554 after the message's data.
final class SMTPServer: Sendable {
    /// One message as the server took it.
    struct Received {
        var raw: Data
        var mailFrom: String
        var recipients: [String]
    }

    let port: Int
    let folder: URL
    private let process = Locked<Process?>(nil)

    /// Debian's own Python: the `python3` first on PATH may be another one, without aiosmtpd.
    static let python = URL(fileURLWithPath: "/usr/bin/python3")

    /// Whether this machine can run the server; CI (CRISISD_INTEGRATION) runs the tests anyway.
    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return false }
        return (try? runCommand(python, ["-c", "import aiosmtpd"], timeout: 30))?.status == 0
    }()

    static let handler = """
        import json, os, time

        class Handler:
            def __init__(self, folder):
                self.folder = folder

            @classmethod
            def from_cli(cls, parser, *args):
                return cls(args[0])

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                local = address.split("@")[0]
                if local == "later":
                    return "451 4.3.0 Try again later"
                if local == "nobody":
                    return "550 5.1.1 <%s>: no such user" % address
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                locals = [address.split("@")[0] for address in envelope.rcpt_tos]
                if "full" in locals:
                    return "452 4.3.1 Insufficient system storage"
                if "refused" in locals:
                    return "554 5.7.1 Message refused"
                name = os.path.join(self.folder, "%020d" % time.time_ns())
                with open(name + ".json", "w") as envelope_file:
                    json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, envelope_file)
                with open(name + ".tmp", "wb") as message:
                    message.write(envelope.original_content)
                os.rename(name + ".tmp", name + ".eml")
                return "250 OK: queued"
        """

    /// The server on `port` (a free one by default); `start()` runs it.
    init(port: Int = freePort()) throws {
        self.port = port
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "crisisd-smtp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("mail"), withIntermediateDirectories: true)
        try Self.handler.write(
            to: folder.appendingPathComponent("crisisd_smtp_handler.py"), atomically: true, encoding: .utf8)
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// Starts the server and waits until it accepts connections.
    func start() async throws {
        let process = Process()
        process.executableURL = Self.python
        process.arguments = [
            "-u", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "crisisd_smtp_handler.Handler",
            folder.appendingPathComponent("mail").path,
        ]
        process.environment = ["PYTHONPATH": folder.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let log = folder.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process.withLock { $0 = process }
        // Until it accepts, or has exited (no aiosmtpd): no point waiting then.
        let deadline = Date() + 20
        while process.isRunning, !Self.accepts(port: port), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard process.isRunning, Self.accepts(port: port) else {
            let printed = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            stop()
            throw TestFailure(
                "aiosmtpd did not come up on port \(port) (scripts/setup --tests installs it): \(printed)")
        }
    }

    /// The messages taken so far, oldest first.
    var received: [Received] {
        let mail = folder.appendingPathComponent("mail")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mail.path)) ?? []).filter {
            $0.hasSuffix(".eml")
        }.sorted()
        return names.compactMap { name in
            let base = mail.appendingPathComponent(String(name.dropLast(4)))
            guard let raw = try? Data(contentsOf: base.appendingPathExtension("eml")),
                let envelope = try? JSONSerialization.jsonObject(
                    with: Data(contentsOf: base.appendingPathExtension("json"))) as? [String: Any]
            else { return nil }
            return Received(
                raw: raw, mailFrom: envelope["mail_from"] as? String ?? "",
                recipients: envelope["rcpt_tos"] as? [String] ?? [])
        }
    }

    /// Waits until `count` messages arrived; what arrived by then.
    func waitFor(_ count: Int, timeout: TimeInterval = 15) async -> [Received] {
        _ = await eventually(timeout: timeout) { received.count >= count }
        return received
    }

    /// Stops the server by its PID and removes its folder.
    func stop() {
        let taken = process.withLock { process in
            defer { process = nil }
            return process
        }
        if let process = taken {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            if !process.waitForExit(timeout: 5) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether something accepts a TCP connection on loopback `port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        } == 0
    }
}
