import Foundation

/// A daemon paging a real webhook receiver: the common set-up of the scenario tests.
struct Scenario {
    let receiver: WebhookReceiver
    let daemon: TestDaemon

    /// - Parameters:
    ///   - members: the chiefs rotation; its first member is on duty now (weekly shifts from 2026-01-05).
    ///   - rotationStart: set in the future to leave no one on duty.
    ///   - extra: TOML appended to the config, for example more `[[requesters]]`.
    static func start(
        members: [String] = ["anna"], rotationStart: String = "2026-01-05T08:00", backoff: String = "200ms",
        webhookURL: String? = nil, clocks: String = "", escalation: String = #"steps = ["rotation:chiefs"]"#,
        extra: String = ""
    ) async throws -> Scenario {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let daemon = try TestDaemon(
            config: config(
                members: members, rotationStart: rotationStart, backoff: backoff,
                webhookURL: webhookURL ?? receiver.url,
                clocks: clocks, escalation: escalation, extra: extra))
        try await daemon.start()
        return Scenario(receiver: receiver, daemon: daemon)
    }

    /// The scenario's config after the daemon's own settings: anna on duty on chiefs, bo on the
    /// backup rotation, a lead, and a webhook channel to `webhookURL`.
    static func config(
        members: [String] = ["anna"], rotationStart: String = "2026-01-05T08:00", backoff: String = "200ms",
        backoffMax: String? = nil, webhookURL: String, clocks: String = "",
        escalation: String = #"steps = ["rotation:chiefs"]"#,
        extra: String = ""
    ) -> String {
        """
            [delivery]
            max_attempts = 3
            backoff_initial = "\(backoff)"
            backoff_max = "\(backoffMax ?? backoff)"
            timeout = "3s"

            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+4520000001"
            contacts = ["pages"]
            roles = ["chief", "crisis"]

            [[people]]
            id = "bo"
            name = "Bo Madsen"
            phone = "+4520000002"
            contacts = ["pages"]
            roles = ["chief", "crisis"]

            [[people]]
            id = "lead"
            name = "Service lead"
            phone = "+4520000009"
            contacts = ["pages"]
            roles = ["lead"]

            [clocks]
            \(clocks)

            [[channels]]
            id = "pages"
            type = "webhook"
            url = "\(webhookURL)"
            secret = "\(TestDaemon.secret)"

            [[channels]]
            id = "console"
            type = "console"

            [[rotations]]
            id = "chiefs"
            members = [\(members.map { "\"\($0)\"" }.joined(separator: ", "))]
            start = "\(rotationStart)"
            shift = "30000d"
            backup = "backups"

            [[rotations]]
            id = "backups"
            members = ["bo"]
            start = "2026-01-05T08:00"
            shift = "30000d"

            [escalation]
            \(escalation)

            \(extra)
        """
    }

    func stop() {
        daemon.cleanUp()
        receiver.stop()
    }

    /// Raises a crisis over HTTP and returns the receipt's JSON; fails unless answered 201.
    func raise(
        _ json: String = #"{"category":"violence","site":"Depot 4, Albertslund","callback":"+45 20 00 00 00"}"#,
        key: String? = nil
    ) async throws -> [String: Any] {
        let reply = try await daemon.request(
            "POST", "/v1/crises", json: json, headers: key.map { [("Idempotency-Key", $0)] } ?? []
        ).reply()
        guard reply.status == 201 else { throw TestFailure("expected 201, got \(reply.status): \(reply.text)") }
        return reply.json
    }
}
