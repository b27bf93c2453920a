import CrisisConfig
import Foundation
import Testing

/// `[heartbeat]`: the outside dead-man's switch, checked with the fault named.
struct HeartbeatConfigTests {
    static func parse(_ heartbeat: String) throws(ConfigErrors) -> Config {
        try ConfigLoader.parse(
            """
            [[people]]
            id = "anna"
            name = "Anna Holm"
            phone = "+4520000001"
            contacts = ["console"]

            [[channels]]
            id = "console"
            type = "console"

            [escalation]
            steps = ["person:anna"]

            \(heartbeat)
            """)
    }

    func problems(_ heartbeat: String) -> [String] {
        do {
            _ = try Self.parse(heartbeat)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func aHeartbeatIsReadWithItsIntervalAndATimeoutWithinIt() throws {
        let config = try Self.parse(
            """
            [heartbeat]
            url = "https://hc-ping.com/5f1c"
            interval = "1m"
            """)
        #expect(config.heartbeat == Config.Heartbeat(url: "https://hc-ping.com/5f1c", interval: 60, timeout: 10))
        #expect(try Self.parse("").heartbeat == nil)
        #expect(
            try Self.parse("[heartbeat]\nurl = \"http://127.0.0.1:9/x\"\ninterval = \"1s\"").heartbeat?.timeout == 1)
    }

    @Test(arguments: [
        ("[heartbeat]\ninterval = \"1m\"", "heartbeat.url: is required"),
        ("[heartbeat]\nurl = \"hc-ping.com/5f1c\"", "heartbeat.url: must be an http:// or https:// URL"),
        (
            "[heartbeat]\nurl = \"https://hc-ping.com/5f1c\"\ninterval = \"2d\"",
            "heartbeat.interval: must be between 1s and 1d"
        ),
        (
            "[heartbeat]\nurl = \"https://hc-ping.com/5f1c\"\ninterval = \"soon\"",
            "heartbeat.interval: \"soon\" is not a duration"
        ),
        (
            "[heartbeat]\nurl = \"https://hc-ping.com/5f1c\"\ninterval = \"5s\"\ntimeout = \"10s\"",
            "heartbeat.timeout: must be"
        ),
        ("[heartbeat]\nurl = \"https://hc-ping.com/5f1c\"\nintervall = \"5s\"", "heartbeat.intervall: unknown key"),
    ])
    func aBadHeartbeatIsRefusedNamingTheKey(heartbeat: String, problem: String) {
        let found = problems(heartbeat)
        #expect(found.contains { $0.contains(problem) }, "\(found)")
    }

    @Test func theRefusalNeverQuotesTheURLWhichMayBeASecret() {
        #expect(!problems("[heartbeat]\nurl = \"ftp://secret-check-id\"").joined().contains("secret-check-id"))
    }
}
