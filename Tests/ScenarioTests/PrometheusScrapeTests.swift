import CrisisNotify
import Foundation
import Testing

/// A real Prometheus server (Debian's `prometheus`, run directly with a config of the test's
/// own, its storage in a temporary folder, on loopback) scrapes a daemon every second, with the
/// metrics token; its query API then shows the target up and the page the daemon sent.
@Suite struct PrometheusScrapeTests {
    static let token = "metrics-token-for-prometheus"

    @Test(
        .enabled(
            if: integrationRequired || MetricsTests.installed,
            "needs /usr/bin/prometheus (scripts/setup --tests); CI sets CRISISD_INTEGRATION and never skips"),
        .timeLimit(.minutes(2)))
    func prometheusScrapesTheDaemonAndSeesThePageItSent() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let daemon = try TestDaemon(
            config: Scenario.config(webhookURL: receiver.url),
            http: "metrics_token_sha256 = \"\(sha256Hex(Self.token))\"")
        defer { daemon.cleanUp() }
        try await daemon.start()

        let server = try PrometheusServer(target: "127.0.0.1:\(daemon.port)", token: Self.token)
        defer { server.stop() }
        try await server.waitUntilReady()

        let raised = try await daemon.request(
            "POST", "/v1/crises", json: #"{"category":"accident","site":"Depot 4","callback":"+45 20 00 00 00"}"#
        ).reply()
        #expect(raised.status == 201, "\(raised.text)")
        _ = await receiver.waitFor(1)

        let up = await eventually(timeout: 30) { await server.query(#"up{job="crisisd"}"#) == ["1"] }
        let targets = await server.query("up")
        #expect(up, "the target is up: \(targets)\n\(server.log)")
        let paged = await eventually(timeout: 30) {
            await server.query(#"crisisd_pages_sent_total{channel="pages"}"#) == ["1"]
        }
        let sent = await server.query("crisisd_pages_sent_total")
        #expect(paged, "Prometheus has the page: \(sent)\n\(server.log)")
    }
}

/// One Prometheus server for one test: its own config and storage in a temporary folder,
/// listening on a free loopback port, stopped by its process id.
final class PrometheusServer {
    let port: Int
    let folder: URL
    private let process: Process

    init(target: String, token: String) throws {
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "crisisd-prometheus-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = freePort()
        let tokenFile = folder.appendingPathComponent("token")
        try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("prometheus.yml")
        try """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: crisisd
            authorization:
              credentials_file: \(tokenFile.path)
            static_configs:
              - targets: ["\(target)"]

        """.write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MetricsTests.prometheus)
        process.arguments = [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        let log = FileManager.default.createFile(atPath: folder.appendingPathComponent("log").path, contents: nil)
        precondition(log)
        let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("log"))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    var log: String {
        (try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)).map { String($0.suffix(3000)) }
            ?? ""
    }

    func waitUntilReady() async throws {
        let port = port
        let ready = await eventually(timeout: 30) {
            if case .success(let reply) = await CurlHTTPClient.send(
                HTTPCall(url: "http://127.0.0.1:\(port)/-/ready", timeout: 2))
            {
                return reply.status == 200
            }
            return false
        }
        guard ready else { throw TestFailure("Prometheus did not become ready on port \(port):\n\(log)") }
    }

    /// The values of an instant query's result, as Prometheus prints them ("1").
    func query(_ promQL: String) async -> [String] {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promQL)]
        guard
            let url = components.percentEncodedQuery.map({ "http://127.0.0.1:\(port)/api/v1/query?\($0)" }),
            case .success(let reply) = await CurlHTTPClient.send(HTTPCall(url: url, timeout: 5)),
            let json = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any],
            let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { return [] }
        return result.compactMap { ($0["value"] as? [Any])?.last as? String }
    }

    func stop() {
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGTERM)
            if !process.waitForExit(timeout: 10) { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
