import Foundation
import Testing

/// Every bad request gets a 4xx with a JSON error naming the field, and the daemon keeps serving.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var method = "POST"
        var path = "/v1/crises"
        var body: String?
        var token: String? = TestDaemon.token
        /// The provider's routes are refused to requester tokens: those cases go to the control socket.
        var controlSocket = false
        var headers: [(String, String)] = []
        var status: Int
        var field: String

        var testDescription: String { name }
    }

    static let valid = #"{"category":"violence","site":"Depot","callback":"+4512345678"}"#

    static let cases: [Case] = [
        Case(name: "not JSON", body: "category=violence", status: 400, field: "body"),
        Case(name: "a JSON array", body: "[1,2]", status: 400, field: "body"),
        // Invalid JSON in a value no field reads (a repeated key) is still invalid JSON.
        Case(
            name: "invalid JSON in a repeated key",
            body: #"{"category":"death","site":"Depot","site":"\q","callback":"+4512345678"}"#, status: 400,
            field: "body"),
        Case(name: "empty body", body: "", status: 400, field: "body"),
        Case(
            name: "unknown category", body: #"{"category":"fire","site":"Depot","callback":"+4512345678"}"#,
            status: 400, field: "category"),
        Case(
            name: "missing category", body: #"{"site":"Depot","callback":"+4512345678"}"#, status: 400,
            field: "category"),
        Case(name: "missing site", body: #"{"category":"death","callback":"+4512345678"}"#, status: 400, field: "site"),
        Case(name: "missing callback", body: #"{"category":"death","site":"Depot"}"#, status: 400, field: "callback"),
        Case(
            name: "callback not a phone number", body: #"{"category":"death","site":"Depot","callback":"call me"}"#,
            status: 400, field: "callback"),
        Case(
            name: "people not a number",
            body: #"{"category":"death","site":"Depot","callback":"+4512345678","people":"two"}"#, status: 400,
            field: "people"),
        Case(
            name: "unknown requester role",
            body: #"{"category":"death","site":"Depot","callback":"+4512345678","requester_role":"boss"}"#, status: 400,
            field: "requester_role"),
        Case(
            name: "a misspelt field", body: #"{"catgory":"death","site":"Depot","callback":"+4512345678"}"#,
            status: 400, field: "catgory"),
        Case(
            name: "oversized body", body: "{\"note\":\"" + String(repeating: "x", count: 70_000) + "\"}", status: 413,
            field: "body"),
        Case(name: "no token", body: valid, token: nil, status: 401, field: "Authorization"),
        Case(name: "wrong token", body: valid, token: "guess", status: 401, field: "Authorization"),
        Case(
            name: "over-long Idempotency-Key", body: valid,
            headers: [("Idempotency-Key", String(repeating: "k", count: 300))], status: 400, field: "Idempotency-Key"),
        Case(
            name: "ack of an unknown crisis", path: "/v1/crises/CR-2222/ack", body: "{}", status: 404,
            field: "reference"),
        Case(
            name: "ack by an unknown person", path: "/v1/crises/CR-2222/ack", body: #"{"by":"zed"}"#,
            controlSocket: true, status: 400, field: "by"),
        Case(name: "a malformed reference", method: "GET", path: "/v1/crises/CR-0O1I", status: 400, field: "reference"),
        Case(
            name: "reading without a token", method: "GET", path: "/v1/crises/CR-2222", token: nil, status: 401,
            field: "Authorization"),
        Case(
            name: "on call at a bad time", method: "GET", path: "/v1/oncall?at=tomorrow", controlSocket: true,
            status: 400, field: "at"),
    ]

    @Test func eachBadRequestIsRefusedNamingTheFieldAndTheDaemonKeepsServing() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let first = try await scenario.raise()

        for bad in Self.cases {
            let reply =
                bad.controlSocket
                ? try await scenario.daemon.control(bad.method, bad.path, json: bad.body).reply()
                : try await scenario.daemon.request(
                    bad.method, bad.path, json: bad.body, token: bad.token, headers: bad.headers
                ).reply()
            #expect(reply.status == bad.status, "\(bad.name): \(reply.text)")
            #expect(reply.json["field"] as? String == bad.field, "\(bad.name): \(reply.text)")
            #expect((reply.json["error"] as? String)?.isEmpty == false, "\(bad.name) says what is wrong")
        }

        // Still serving, and what was accepted before is all there.
        let health = try await scenario.daemon.request("GET", "/healthz", token: nil).reply()
        #expect(health.status == 200)
        let after = try await scenario.raise()
        #expect(after["reference"] as? String != first["reference"] as? String)
        let earlier = try await scenario.daemon.request("GET", "/v1/crises/\(first["reference"] as! String)").reply()
        #expect(earlier.status == 200)
        let count = try scenario.daemon.ctl(["status", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(count.stdout.utf8)) as? [Any])?.count == 2)
    }

    @Test func anIdempotencyKeyReusedForAnotherReportIsRefused() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let first = try await scenario.raise(key: "shared-key")
        // The same report again gets the same receipt, read back from the store, reasons included.
        let again = try await scenario.daemon.request(
            "POST", "/v1/crises",
            json: #"{"category":"violence","site":"Depot 4, Albertslund","callback":"+45 20 00 00 00"}"#,
            headers: [("Idempotency-Key", "shared-key")]
        ).reply()
        #expect(again.status == 200, "\(again.text)")
        #expect(again.json["reference"] as? String == first["reference"] as? String)
        let reasons = { (receipt: [String: Any]) in
            (receipt["paged"] as? [[String: Any]] ?? []).map { $0["reason"] as? String ?? "" }
        }
        #expect(reasons(again.json) == reasons(first))
        #expect(reasons(first) == ["on duty on chiefs"], "\(first)")
        let reply = try await scenario.daemon.request(
            "POST", "/v1/crises", json: #"{"category":"death","site":"Elsewhere","callback":"+4512345678"}"#,
            headers: [("Idempotency-Key", "shared-key")]
        ).reply()
        #expect(reply.status == 400)
        #expect(reply.json["field"] as? String == "Idempotency-Key")
        #expect((reply.json["error"] as? String)?.contains(first["reference"] as! String) == true)
    }

    @Test func aBadTriggerFromTheCLINamesTheOptionAndRecordsNothing() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let result = try scenario.daemon.ctl([
            "trigger", "--category", "fire", "--site", "Depot", "--callback", "+4512345678",
        ])
        #expect(result.status == 65)
        #expect(
            result.stderr.contains("--category: \"fire\" is not one of violence, accident, death, harassment, other"))
        let status = try scenario.daemon.ctl(["status"])
        #expect(status.stdout.contains("No open crises."))
    }
}
