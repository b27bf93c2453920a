import CrisisNotify
import Foundation
import Testing

/// A requester raises crises only in the roles its `[[requesters]]` entry lists, and its token
/// can be rotated without downtime: two hashes work at once, and `crisisctl token new` makes the
/// next one. In-process, over real HTTP.
@Suite struct RequesterRoleTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let hrToken = "hr-token-of-the-glostrup-requester-old"
    static let newHRToken = "hr-token-of-the-glostrup-requester-new"

    static func config(receiver: String) -> String {
        Scenario.config(webhookURL: receiver, escalation: #"steps = ["rotation:chiefs"]"#) + """

            [[requesters]]
            id = "glostrup"
            token_sha256 = ["\(sha256Hex(newHRToken))", "\(sha256Hex(hrToken))"]
            roles = ["hr", "leader"]
            """
    }

    func raise(_ app: InProcessDaemon, token: String, role: String) async throws -> HTTPReply {
        try await CurlHTTPClient.send(
            HTTPCall(
                method: "POST", url: "http://127.0.0.1:\(app.port)/v1/crises",
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: Array(
                    #"{"category":"violence","site":"Depot","callback":"+45 20 00 00 00","requester_role":"\#(role)"}"#
                        .utf8),
                timeout: 10)
        ).get()
    }

    @Test func aRoleTheRequesterDoesNotListIsRefused403NamingItAndBothTokensOfARotationWork() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver.url), now: Self.t0)

        let refused = try await raise(app, token: Self.hrToken, role: "employee")
        #expect(refused.status == 403)
        let body = try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any]
        #expect(body?["field"] as? String == "requester_role")
        #expect(
            (body?["error"] as? String)?.contains(
                #"requester "glostrup" may not raise a crisis as employee (its roles: hr, leader)"#) == true,
            "\(refused.text)")
        try await Task.sleep(for: .milliseconds(200))
        #expect(receiver.deliveries.isEmpty, "nothing was recorded or paged")

        #expect(try await raise(app, token: Self.hrToken, role: "hr").status == 201, "the old token still works")
        #expect(try await raise(app, token: Self.newHRToken, role: "leader").status == 201, "and so does the new one")
        // The requester without a roles list (the test daemon's own) may raise as any role.
        #expect(try await raise(app, token: TestDaemon.token, role: "employee").status == 201)
        await app.stop()
    }

    @Test func tokenNewPrintsAFreshTokenOnceAndTheLineWithItsHashKeepingTheOldOne() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver.url), now: Self.t0)
        let made = try await app.ctl(["token", "new", "--requester", "glostrup"])
        #expect(made.status == 0, "\(made.stderr)")
        let lines = made.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let token = try #require(lines.dropFirst().first)
        #expect(token.count == 43)
        #expect(
            lines.last
                == #"token_sha256 = ["\#(sha256Hex(token))", "\#(sha256Hex(Self.newHRToken))", "\#(sha256Hex(Self.hrToken))"]"#
        )
        let again = try await app.ctl(["token", "new", "--requester", "glostrup"])
        #expect(!again.stdout.contains(token), "a new token each time")
        await app.stop()
    }
}
