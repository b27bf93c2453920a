import CrisisNotify
import Foundation
import Testing

/// The ops board (`GET /board`): who may open it (a person's token, a signed link from
/// `crisisctl board-link`; not a requester's token, not a link that is expired or altered), and
/// what it shows (open crises with their clocks) and never shows (note text, requester names,
/// free-text reasons).
@Suite struct OpsBoardTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let annaToken = "anna-personal-api-token-for-the-board"

    /// Anna on duty (her own token), Bo next on weekly shifts, a webhook that works and one that
    /// does not (to fail a page).
    static func config(receiver: String) -> String {
        """
        [delivery]
        max_attempts = 3
        backoff_initial = "1m"
        backoff_max = "1m"
        timeout = "2s"

        [[channels]]
        id = "pages"
        type = "webhook"
        url = "\(receiver)"
        secret = "\(TestDaemon.secret)"

        [[channels]]
        id = "pager-gateway"
        type = "webhook"
        url = "http://127.0.0.1:9/unreachable"
        secret = "\(TestDaemon.secret)"

        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        contacts = ["pages", "pager-gateway"]
        roles = ["chief", "crisis"]
        token_sha256 = "\(sha256Hex(annaToken))"

        [[people]]
        id = "bo"
        name = "Bo Madsen"
        phone = "+4520000002"
        contacts = ["pages"]
        roles = ["chief", "crisis"]

        [[rotations]]
        id = "chiefs"
        members = ["anna", "bo"]
        start = "2027-01-11T08:00"
        shift = "7d"

        [escalation]
        steps = ["rotation:chiefs"]
        """
    }

    static let privateNote = "Ole was hit on the head and is bleeding"
    static let requesterName = "Jens Jensen"
    static let waiverReason = "Handled by phone with Ole's sister Karen"

    /// Raises a crisis with a note and the requester's name, and another that Anna acknowledges
    /// and waives the on-site visit for, with a reason.
    static func raiseTwo(_ app: InProcessDaemon) async throws -> (open: String, handled: String) {
        let first = try await app.request(
            "POST", "/v1/crises",
            json: """
                {"category":"violence","site":"Depot 4, Albertslund","callback":"+45 20 00 00 00",
                 "requester_name":"\(requesterName)","note":"\(privateNote)","people":2}
                """
        ).reply()
        let open = try #require(first.json["reference"] as? String)
        let second = try await app.request(
            "POST", "/v1/crises",
            json: #"{"category":"death","site":"Town hall, 2nd floor","callback":"+45 20 00 00 01","group":true}"#
        ).reply()
        let handled = try #require(second.json["reference"] as? String)
        #expect(try await call(app, "POST", "/v1/crises/\(handled)/ack", token: annaToken, body: "{}").status == 200)
        for milestone in [#"{"milestone":"contacted"}"#, #"{"milestone":"waive-onsite","reason":"\#(waiverReason)"}"#] {
            let recorded = try await call(
                app, "POST", "/v1/crises/\(handled)/milestones", token: annaToken, body: milestone)
            #expect(recorded.status == 200, "\(recorded.text)")
        }
        return (open, handled)
    }

    static func call(_ app: InProcessDaemon, _ method: String, _ path: String, token: String?, body: String? = nil)
        async throws -> HTTPReply
    {
        var headers: [(String, String)] = token.map { [("Authorization", "Bearer \($0)")] } ?? []
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await CurlHTTPClient.send(
            HTTPCall(
                method: method, url: path.hasPrefix("http") ? path : "http://127.0.0.1:\(app.port)\(path)",
                headers: headers, body: body.map { Array($0.utf8) }, timeout: 10)
        ).get()
    }

    /// `crisisctl board-link`'s link, from its standard output.
    static func boardLink(_ app: InProcessDaemon, _ arguments: [String] = []) async throws -> String {
        let made = try await app.ctl(["board-link"] + arguments)
        #expect(made.status == 0, "\(made.stderr)")
        return try #require(made.stdout.split(separator: "\n").first.map(String.init))
    }

    @Test func theBoardOpensForAPersonsTokenAndASignedLinkOnly() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver.url), now: Self.t0)

        let anonymous = try await Self.call(app, "GET", "/board", token: nil)
        #expect(anonymous.status == 401)
        #expect(!anonymous.text.contains("On duty"))
        #expect(try await Self.call(app, "GET", "/board", token: "not-a-known-token").status == 401)
        let requester = try await Self.call(app, "GET", "/board", token: TestDaemon.token)
        #expect(requester.status == 403)
        #expect(requester.text.contains("Not for requesters"))
        #expect(try await Self.call(app, "GET", "/board", token: Self.annaToken).status == 200)
        // Links are the provider's to hand out: not even a person's token makes one.
        #expect(try await Self.call(app, "POST", "/v1/board-link", token: Self.annaToken, body: "{}").status == 403)

        let link = try await Self.boardLink(app, ["--valid-for", "1h"])
        #expect(link.hasPrefix("http://127.0.0.1:\(app.port)/board?expires="), "\(link)")
        let opened = try await Self.call(app, "GET", link, token: nil)
        #expect(opened.status == 200)
        #expect(opened.text.contains("crisisd ops board"))
        #expect(opened.text.contains(#"<meta http-equiv=refresh content="30">"#), "it reloads itself")

        // One digit of the signature or of the expiry changed: refused, saying why.
        let last = link.last == "0" ? "1" : "0"
        let tampered = try await Self.call(app, "GET", String(link.dropLast()) + last, token: nil)
        #expect(tampered.status == 403)
        #expect(tampered.text.contains("expired or was altered"))
        let expires = try #require(link.firstMatch(of: #/expires=(\d+)/#)?.output.1)
        let stretched = link.replacingOccurrences(of: "expires=\(expires)", with: "expires=\(Int(expires)! + 86_400)")
        #expect(try await Self.call(app, "GET", stretched, token: nil).status == 403)
        #expect(try await Self.call(app, "GET", "/board?expires=\(expires)", token: nil).status == 403)

        // The key that signs the links is the daemon's, readable by it alone.
        let key = app.folder.appendingPathComponent("state/board-link.key").path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int)
        #expect(mode == 0o600)

        // An hour later the link no longer opens the board; a new one does.
        app.clock.advance(by: 3601)
        let expired = try await Self.call(app, "GET", link, token: nil)
        #expect(expired.status == 403)
        #expect(expired.text.contains("expired"))
        #expect(try await Self.call(app, "GET", Self.boardLink(app), token: nil).status == 200)

        let tooLong = try await app.ctl(["board-link", "--valid-for", "90d"])
        #expect(tooLong.status != 0)
        #expect(tooLong.stderr.contains("at most 31d"))
        await app.stop()
    }

    @Test func theBoardShowsOpenCrisesAndTheirClocksButNoNoteNameOrReason() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(config: Self.config(receiver: receiver.url), now: Self.t0)
        let (open, handled) = try await Self.raiseTwo(app)
        // The gateway refuses: the first attempt fails and the page waits for its retry.
        #expect(await eventually { app.log.contains("page failed") })
        app.clock.advance(by: 600)

        let board = try await Self.call(app, "GET", "/board", token: Self.annaToken)
        #expect(board.status == 200)
        let page = board.text
        #expect(page.contains(open))
        #expect(page.contains(handled))
        #expect(page.contains("Depot 4, Albertslund"))
        let crisis = try await app.request("GET", "/v1/crises/\(open)").reply()
        let labels = (crisis.json["clocks"] as? [[String: Any]] ?? []).compactMap { $0["label"] as? String }
        #expect(!labels.isEmpty)
        for label in labels { #expect(page.contains("<span>\(label)</span>"), "clock \(label)") }
        #expect(page.contains("min left (by"), "a running clock shows the time left")
        #expect(page.contains(#"class="clock met""#), "the acknowledgement clock of the handled crisis was met")
        #expect(page.contains(#"class="clock waived""#), "its on-site clock was waived")
        #expect(page.contains("Anna Holm"), "on duty now")
        #expect(page.contains("Bo Madsen"), "on duty next")
        #expect(page.contains("<code>pager-gateway</code>"), "the failing channel")
        #expect(page.contains("crisis.received"))
        #expect(page.contains("requester:albertslund"))

        for secret in [Self.privateNote, "Ole", Self.requesterName, "Jens", Self.waiverReason, "Karen"] {
            #expect(!page.contains(secret), "\(secret) must not be on the board")
        }
        await app.stop()
    }
}
