import CrisisNotify
import Foundation
import Testing

/// What a requester's bearer token may do over TCP: raise crises and read the ones it raised,
/// nothing else. The provider acts through crisisctl on the control socket.
@Suite struct RequesterAccessTests {
    static let otherToken = "test-token-for-the-hvidovre-requester"
    static let otherRequester = """
        [[requesters]]
        id = "hvidovre"
        token_sha256 = "\(sha256Hex(otherToken))"
        """

    static let milestones = [
        #"{"milestone":"contacted","by":"anna"}"#,
        #"{"milestone":"dispatched","by":"anna","to":"bo"}"#,
        #"{"milestone":"onsite","by":"bo"}"#,
        #"{"milestone":"waive-onsite","by":"anna","reason":"assessed by phone"}"#,
        #"{"milestone":"resolved","by":"anna"}"#,
    ]

    /// References that are not `reference`, in the order a walker might try them.
    static func unknownReferences(besides reference: String, count: Int) -> [String] {
        "23456789ABCDEFGHJKMNPQRSTUVWXYZ".map { "CR-22Z\($0)" }.filter { $0 != reference }.prefix(count).map { $0 }
    }

    @Test func anotherRequestersCrisisIsAnsweredExactlyAsAnUnknownReferenceForReadingAckAndMilestones() async throws {
        let scenario = try await Scenario.start(extra: Self.otherRequester)
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        let unknown = Self.unknownReferences(besides: reference, count: 1)[0]
        let daemon = scenario.daemon

        // The 404 for another's crisis is the 404 for a reference that does not exist.
        func sameAsUnknown(_ method: String, _ suffix: String, json: String? = nil) async throws {
            let theirs = try await daemon.request(
                method, "/v1/crises/\(reference)\(suffix)", json: json, token: Self.otherToken
            ).reply()
            let none = try await daemon.request(
                method, "/v1/crises/\(unknown)\(suffix)", json: json, token: Self.otherToken
            ).reply()
            #expect(theirs.status == 404, "\(method) \(suffix): \(theirs.text)")
            #expect(none.status == 404)
            #expect(
                theirs.text.replacingOccurrences(of: reference, with: unknown) == none.text,
                "\(theirs.text) vs \(none.text)")
            #expect(!theirs.text.contains("Depot") && !theirs.text.contains("+45 20"), "nothing of the crisis shows")
        }
        try await sameAsUnknown("GET", "")
        try await sameAsUnknown("POST", "/ack", json: #"{"by":"anna"}"#)
        try await sameAsUnknown("POST", "/milestones", json: Self.milestones[0])
        for milestone in Self.milestones.dropFirst() {
            let reply = try await daemon.request(
                "POST", "/v1/crises/\(reference)/milestones", json: milestone, token: Self.otherToken
            ).reply()
            #expect(reply.status == 404, "\(milestone): \(reply.text)")
        }

        // Paging goes on: nothing was acknowledged or recorded.
        let status = try daemon.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        #expect(crisis["status"] as? String == "open")
        #expect(crisis["acknowledged_by"] == nil)
        #expect((crisis["milestones"] as? [Any])?.isEmpty == true)
    }

    @Test func aRequesterReadsItsOwnCrisisButMayNotAcknowledgeItOrRecordMilestones() async throws {
        let scenario = try await Scenario.start(extra: Self.otherRequester)
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        let daemon = scenario.daemon

        let own = try await daemon.request("GET", "/v1/crises/\(reference)").reply()
        #expect(own.status == 200)
        #expect(own.json["site"] as? String == "Depot 4, Albertslund")

        let ack = try await daemon.request("POST", "/v1/crises/\(reference)/ack", json: #"{"by":"anna"}"#).reply()
        #expect(ack.status == 403, "\(ack.text)")
        #expect(ack.json["field"] as? String == "Authorization")
        #expect((ack.json["error"] as? String)?.contains("crisisctl") == true, "\(ack.text)")
        for milestone in Self.milestones {
            let reply = try await daemon.request("POST", "/v1/crises/\(reference)/milestones", json: milestone).reply()
            #expect(reply.status == 403, "\(milestone): \(reply.text)")
        }

        let crisis = try await daemon.request("GET", "/v1/crises/\(reference)").reply().json
        #expect(crisis["status"] as? String == "open")
        #expect((crisis["milestones"] as? [Any])?.isEmpty == true)
        // The provider still can, through crisisctl.
        #expect(try daemon.ctl(["ack", reference, "--by", "anna"]).status == 0)
    }

    @Test func theRotaAndOnCallRoutesAreRefusedToRequesterTokens() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let daemon = scenario.daemon
        let routes: [(String, String, String?)] = [
            ("GET", "/v1/oncall", nil),
            ("GET", "/v1/rota?from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z", nil),
            ("GET", "/v1/rota/overrides", nil),
            (
                "POST", "/v1/rota/overrides",
                #"{"rotation":"chiefs","person":"bo","from":"2099-01-01T00:00:00Z","to":"2099-01-02T00:00:00Z"}"#
            ),
            ("DELETE", "/v1/rota/overrides/1", nil),
            ("GET", "/v1/crises", nil),
            ("GET", "/v1/journal", nil),
            ("GET", "/v1/daemon", nil),
        ]
        for (method, path, json) in routes {
            let refused = try await daemon.request(method, path, json: json).reply()
            #expect(refused.status == 403, "\(method) \(path): \(refused.text)")
            #expect(refused.json["field"] as? String == "Authorization", "\(method) \(path): \(refused.text)")
            let anonymous = try await daemon.request(method, path, json: json, token: nil).reply()
            #expect(anonymous.status == 401, "\(method) \(path) without a token: \(anonymous.text)")
        }
        #expect(try daemon.ctl(["rota", "overrides"]).status == 0)
        #expect(try daemon.ctl(["oncall"]).stdout.contains("Anna Holm"))
    }

    @Test func twentyMissesInAMinuteAreAnswered429WithRetryAfterAndAWarningNamingTheRequester() async throws {
        let scenario = try await Scenario.start(extra: Self.otherRequester)
        defer { scenario.stop() }
        let daemon = scenario.daemon
        let reference = try #require(try await scenario.raise()["reference"] as? String)

        for unknown in Self.unknownReferences(besides: reference, count: 20) {
            let miss = try await daemon.request("GET", "/v1/crises/\(unknown)").reply()
            #expect(miss.status == 404, "\(unknown): \(miss.text)")
        }
        let limited = try await daemon.requestKeepingHeaders("GET", "/v1/crises/CR-3333")
        #expect(limited.status == 429, "\(limited.text)")
        let retryAfter = try #require(limited.header("Retry-After").flatMap { Int($0) }, "\(limited.headers)")
        #expect((1...60).contains(retryAfter))
        // Every lookup by that token waits, its own crisis too; so does every token from that address.
        #expect(try await daemon.request("GET", "/v1/crises/\(reference)").reply().status == 429)
        #expect(try await daemon.request("POST", "/v1/crises/\(reference)/ack", json: "{}").reply().status == 429)
        #expect(
            try await daemon.request("GET", "/v1/crises/\(reference)", token: Self.otherToken).reply().status == 429)
        // Raising a crisis is never held back, and crisisctl reads on.
        _ = try await scenario.raise(#"{"category":"death","site":"Depot 5","callback":"+4512345678"}"#)
        let control = try await daemon.control("GET", "/v1/crises/\(reference)").reply()
        #expect(control.status == 200)

        let warned = await eventually {
            daemon.log.split(separator: "\n").contains { $0.contains("warning") && $0.contains("albertslund") }
        }
        #expect(warned, "no warning naming the requester: \(daemon.log)")
        #expect(!daemon.log.contains(TestDaemon.token), "the token never reaches the log")
    }
}
