import CrisisNotify
import Foundation
import Testing

/// `GET /metrics`: Prometheus' text format, as Debian's `promtool` checks it (`scripts/setup
/// --tests` installs the `prometheus` package); what paging, escalating, acknowledging and
/// reloading change in it; its optional token; and a real Prometheus server scraping a daemon.
@Suite struct MetricsTests {
    static let promtool = "/usr/bin/promtool"
    static let prometheus = "/usr/bin/prometheus"
    static let installed =
        FileManager.default.isExecutableFile(atPath: promtool)
        && FileManager.default.isExecutableFile(atPath: prometheus)

    /// The value of one series (`name{labels}` exactly as exposed), or nil when it is not there.
    static func value(_ body: String, _ series: String) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// One series of a scrape, or nil when the scrape or the series failed.
    static func value(_ daemon: TestDaemon, _ series: String, token: String? = nil) async -> Double? {
        guard let body = try? await metrics(daemon, token: token) else { return nil }
        return value(body, series)
    }

    static func metrics(_ daemon: TestDaemon, token: String? = nil) async throws -> String {
        let reply = try await daemon.request("GET", "/metrics", token: token).reply()
        guard reply.status == 200 else { throw TestFailure("GET /metrics answered \(reply.status): \(reply.text)") }
        return reply.text
    }

    /// `promtool check metrics` on `body`: its exit status and what it said.
    static func promtoolCheck(_ body: String) throws -> CommandResult {
        let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "crisisd-metrics-\(UUID().uuidString.prefix(8)).txt")
        try body.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try runCommand(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \(promtool) check metrics < \"$1\"", "sh", file.path],
            timeout: 30)
    }

    @Test(
        .enabled(
            if: integrationRequired || installed,
            "needs promtool (Debian's prometheus; scripts/setup --tests); CI sets CRISISD_INTEGRATION and never skips"))
    func aPagedAndAcknowledgedCrisisShowsInMetricsThatPromtoolAccepts() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let daemon = scenario.daemon

        let before = try await Self.metrics(daemon)
        #expect(Self.value(before, #"crisisd_pages_sent_total{channel="pages"}"#) == 0, "every channel from the start")
        #expect(Self.value(before, #"crisisd_open_crises{category="violence"}"#) == 0)
        #expect(Self.value(before, "crisisd_config_last_reload_successful") == 1, "the config at start counts")
        #expect((Self.value(before, "crisisd_config_last_reload_success_timestamp_seconds") ?? 0) > 1_700_000_000)

        let reference = try #require(try await scenario.raise()["reference"] as? String)
        _ = await scenario.receiver.waitFor(1)
        let sent = await eventually {
            await Self.value(daemon, #"crisisd_pages_sent_total{channel="pages"}"#) == 1
        }
        #expect(sent, "the delivered page is counted on its channel")
        let open = try await Self.metrics(daemon)
        #expect(Self.value(open, #"crisisd_open_crises{category="violence"}"#) == 1)
        #expect(Self.value(open, #"crisisd_pages_failed_total{channel="pages"}"#) == 0)
        #expect((Self.value(open, "crisisd_store_commit_duration_seconds_count") ?? 0) >= 1, "the intake's commit")
        #expect(Self.value(open, "crisisd_engine_lag_seconds") == 0, "no deadline is past due")

        let ack = try daemon.ctl(["ack", reference, "--by", "anna"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let after = try await Self.metrics(daemon)
        #expect(Self.value(after, "crisisd_time_to_acknowledge_seconds_count") == 1)
        #expect(
            Self.value(after, #"crisisd_clock_outcomes_total{clock="ack",outcome="met"}"#) == 1,
            "the acknowledgement met the ack clock")

        // Labels are categories, channels, clocks and outcomes: no one's name, id, site or crisis.
        for personal in [reference, "anna", "Anna Holm", "Depot 4", "albertslund", "+45"] {
            #expect(!after.contains(personal), "\(personal) is in the metrics")
        }

        let check = try Self.promtoolCheck(after)
        #expect(check.status == 0, "promtool check metrics: \(check.stdout)\(check.stderr)\n\(after)")
    }

    @Test func aMetricsTokenIsAskedForAndAReloadCanChangeItOrBeRefused() async throws {
        let token = "metrics-token-for-prometheus"
        let config = Scenario.config(webhookURL: "http://127.0.0.1:1/pages")
        let daemon = try TestDaemon(config: config, http: "metrics_token_sha256 = \"\(sha256Hex(token))\"")
        defer { daemon.cleanUp() }
        try await daemon.start()

        #expect(try await daemon.request("GET", "/metrics", token: nil).reply().status == 401)
        #expect(try await daemon.request("GET", "/metrics", token: "wrong").reply().status == 401)
        #expect(
            try await daemon.request("GET", "/metrics", token: TestDaemon.token).reply().status == 401,
            "a requester's token is not the metrics token")
        let body = try await Self.metrics(daemon, token: token)
        #expect(Self.value(body, "crisisd_config_last_reload_successful") == 1)
        let loadedAt = try #require(Self.value(body, "crisisd_config_last_reload_success_timestamp_seconds"))

        // A refused reload: 0, and the time of the last good one stays.
        let broken = "\n[[people]]\nid = \"no-name\"\n"
        try daemon.rewrite(config: config + broken)
        daemon.signal(SIGHUP)
        let refused = await eventually {
            await Self.value(daemon, "crisisd_config_last_reload_successful", token: token) == 0
        }
        #expect(refused)
        let afterRefusal = try await Self.metrics(daemon, token: token)
        #expect(Self.value(afterRefusal, "crisisd_config_last_reload_success_timestamp_seconds") == loadedAt)

        // A reload without the token opens the route: the hash in force is read on every scrape.
        let file = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        try file.replacingOccurrences(of: broken, with: "").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("metrics_token_sha256") }
            .joined(separator: "\n").write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let opened = await eventually {
            (try? await daemon.request("GET", "/metrics", token: nil).reply().status) == 200
        }
        #expect(opened)
        #expect(await eventually { await Self.value(daemon, "crisisd_config_last_reload_successful") == 1 })
    }

    /// In-process on a manual clock: an escalation step and a clock the engine breached, then two
    /// acknowledgements 7 and 1 minutes after their crises, and a milestone that met a clock.
    @Test func escalationsClockOutcomesAndTimesToAcknowledgeAreCounted() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessClockTests.app(receiver, on: .sqlite)
        func metrics() async throws -> String { try await app.request("GET", "/metrics").reply().text }

        let late = try await InProcessClockTests.raise(app)
        #expect(await eventually { receiver.deliveries.count >= 1 })
        app.clock.advance(by: 300)
        #expect(
            await eventually { (try? await metrics()).flatMap { Self.value($0, "crisisd_escalations_total") } == 1 })
        let breached = #"crisisd_clock_outcomes_total{clock="ack",outcome="breached"}"#
        #expect(await eventually { (try? await metrics()).flatMap { Self.value($0, breached) } == 1 })

        app.clock.advance(by: 120)
        #expect(try await app.ctl(["ack", late, "--by", "anna"]).status == 0)
        let timely = try await InProcessClockTests.raise(app)
        app.clock.advance(by: 60)
        #expect(try await app.ctl(["ack", timely, "--by", "anna"]).status == 0)
        #expect(try await app.ctl(["record", timely, "contacted", "--by", "anna"]).status == 0)

        let body = try await metrics()
        #expect(Self.value(body, "crisisd_time_to_acknowledge_seconds_count") == 2)
        #expect(Self.value(body, "crisisd_time_to_acknowledge_seconds_sum") == 480)
        #expect(Self.value(body, #"crisisd_time_to_acknowledge_seconds_bucket{le="60.0"}"#) == 1)
        #expect(Self.value(body, #"crisisd_time_to_acknowledge_seconds_bucket{le="300.0"}"#) == 1)
        #expect(Self.value(body, #"crisisd_time_to_acknowledge_seconds_bucket{le="600.0"}"#) == 2)
        #expect(Self.value(body, #"crisisd_clock_outcomes_total{clock="ack",outcome="met"}"#) == 1)
        #expect(Self.value(body, #"crisisd_clock_outcomes_total{clock="ack",outcome="breached"}"#) == 1)
        #expect(Self.value(body, #"crisisd_clock_outcomes_total{clock="contact",outcome="met"}"#) == 1)
        #expect(Self.value(body, "crisisd_escalations_total") == 1, "\(body)")
        #expect(Self.value(body, #"crisisd_open_crises{category="violence"}"#) == 2)
        await app.stop()
    }
}
