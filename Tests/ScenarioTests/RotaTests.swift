import CrisisCore
import Foundation
import Testing

/// The rota on the real daemon: reloads, cover written at run time, the calendar feed, coverage.
@Suite struct RotaTests {
    static func people(calendarToken: String? = nil) -> String {
        """
        [[people]]
        id = "anna"
        name = "Anna Holm"
        phone = "+4520000001"
        contacts = ["console"]
        \(calendarToken.map { "calendar_token_sha256 = \"\(sha256Hex($0))\"" } ?? "")

        [[people]]
        id = "bo"
        name = "Bo Madsen"
        phone = "+4520000002"
        contacts = ["console"]

        [[channels]]
        id = "console"
        type = "console"

        """
    }

    static func chiefs(_ members: [String], extra: String = "") -> String {
        people() + """
            [[rotations]]
            id = "chiefs"
            members = [\(members.map { "\"\($0)\"" }.joined(separator: ", "))]
            start = "2026-01-05T08:00"
            shift = "7d"
            \(extra)

            [escalation]
            steps = ["rotation:chiefs"]
            """
    }

    func trigger(_ daemon: TestDaemon) throws -> [String: Any] {
        let result = try daemon.ctl([
            "trigger", "--category", "accident", "--site", "Depot", "--callback", "+4512345678", "--json",
        ])
        guard result.status == 0 else { throw TestFailure("trigger failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    func paged(_ receipt: [String: Any]) -> [String] {
        (receipt["paged"] as? [[String: Any]] ?? []).compactMap { $0["person"] as? String }
    }

    func journalKinds(_ daemon: TestDaemon) throws -> [String] {
        let journal = try daemon.ctl(["journal", "--json"])
        return (try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? [])
            .compactMap { $0["kind"] as? String }
    }

    @Test func aReloadedRotaRoutesTheNextCrisisToTheNewPersonAndOpenCrisesKeepTheirs() async throws {
        let daemon = try TestDaemon(config: Self.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        try await daemon.start()
        let first = try trigger(daemon)
        #expect(paged(first) == ["anna"])

        try daemon.rewrite(config: Self.chiefs(["bo"]))
        daemon.signal(SIGHUP)
        let reloaded = await eventually { (try? journalKinds(daemon).contains("config.reloaded")) == true }
        #expect(reloaded, "\(daemon.log)")
        #expect(daemon.log.contains("rotation chiefs changed"))

        let second = try trigger(daemon)
        #expect(paged(second) == ["bo"])
        let earlier = try daemon.ctl(["status", first["reference"] as! String, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(earlier.stdout.utf8)) as? [String: Any]
        #expect(crisis?["assigned"] as? [String] == ["anna"], "an open crisis keeps whom it was assigned to")
    }

    @Test func aBrokenFileIsRefusedOnReloadTheOldRotaStaysAndStatusSaysWhy() async throws {
        let daemon = try TestDaemon(config: Self.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        try await daemon.start()

        try daemon.rewrite(config: Self.chiefs(["zed"]))
        daemon.signal(SIGHUP)
        let refused = await eventually { (try? journalKinds(daemon).contains("config.reload_failed")) == true }
        #expect(refused)
        #expect(
            daemon.log.contains(#"rotations[0].members[0]: unknown person \"zed\""#)
                || daemon.log.contains(#"unknown person "zed""#))

        let status = try daemon.ctl(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stderr.contains("was refused; the previous config is still in force"))
        #expect(status.stderr.contains(#"rotations[0].members[0]: unknown person "zed""#))
        // A leader can still raise a crisis, and it goes to the person of the old rota.
        let receipt = try trigger(daemon)
        #expect(paged(receipt) == ["anna"])
    }

    @Test func aFileThatIsNotTOMLIsRefusedOnReloadAndTheDaemonKeepsServingTheOldRota() async throws {
        let daemon = try TestDaemon(config: Self.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        try await daemon.start()

        try daemon.rewrite(config: Self.chiefs(["bo"]) + "\n[[[x\n")
        daemon.signal(SIGHUP)
        let refused = await eventually { daemon.log.contains("config reload refused: the old config stays in force") }
        #expect(refused, "\(daemon.log)")
        #expect(daemon.log.contains("not valid TOML"), "\(daemon.log)")
        // Still up well after the reload: it once died about 5 s after SIGHUP.
        try await Task.sleep(for: .seconds(6))
        let health = try await daemon.request("GET", "/healthz").reply()
        #expect(health.status == 200)
        // crisisctl reads the socket from the broken file, and the crisis goes to the old rota.
        let receipt = try trigger(daemon)
        #expect(paged(receipt) == ["anna"])
    }

    @Test func aReloadAddsAndRevokesRequesterTokensAtOnce() async throws {
        let daemon = try TestDaemon(config: Self.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        try await daemon.start()
        let body = #"{"category":"violence","site":"Depot","callback":"+4512345678"}"#
        let newToken = "a-token-issued-after-start"
        #expect(try await daemon.request("POST", "/v1/crises", json: body, token: newToken).reply().status == 401)

        try daemon.rewrite(
            config: Self.chiefs(["anna"])
                + "\n\n[[requesters]]\nid = \"hvidovre\"\ntoken_sha256 = \"\(sha256Hex(newToken))\"\n")
        daemon.signal(SIGHUP)
        #expect(await eventually { (try? journalKinds(daemon).contains("config.reloaded")) == true })
        #expect(try await daemon.request("POST", "/v1/crises", json: body, token: newToken).reply().status == 201)
    }

    @Test func coverForAPersonRemovedFromTheConfigIsIgnoredAfterAReload() async throws {
        let daemon = try TestDaemon(config: Self.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        try await daemon.start()
        let cover = try daemon.ctl([
            "rota", "cover", "--rotation", "chiefs", "--person", "bo", "--from", "1h", "--to", "2099-01-01",
        ])
        #expect(cover.status == 0, "\(cover.stderr)")
        #expect(paged(try trigger(daemon)) == ["bo"])

        // bo leaves: the file no longer has him, but the cover written at run time still does.
        try daemon.rewrite(
            config: Self.chiefs(["anna"]).replacingOccurrences(
                of: """
                    [[people]]
                    id = "bo"
                    name = "Bo Madsen"
                    phone = "+4520000002"
                    contacts = ["console"]
                    """, with: ""))
        daemon.signal(SIGHUP)
        #expect(await eventually { (try? journalKinds(daemon).contains("config.reloaded")) == true })
        #expect(daemon.log.contains("rota cover ignored after reload"))
        #expect(paged(try trigger(daemon)) == ["anna"], "never routed to someone who cannot be paged")
    }

    @Test func coverWrittenAtRunTimeRoutesCrisesToTheCoverUntilItIsRemoved() async throws {
        let daemon = try TestDaemon(config: Self.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        try await daemon.start()

        let cover = try daemon.ctl([
            "rota", "cover", "--rotation", "chiefs", "--person", "bo", "--from", "1h", "--to", "2099-01-01 00:00",
            "--json",
        ])
        #expect(cover.status == 0, "\(cover.stderr)")
        let override = try JSONSerialization.jsonObject(with: Data(cover.stdout.utf8)) as? [String: Any]
        let id = try #require(override?["id"] as? String)
        #expect(paged(try trigger(daemon)) == ["bo"])
        #expect(try daemon.ctl(["rota", "overrides"]).stdout.contains("chiefs: bo"))
        #expect(try daemon.ctl(["oncall"]).stdout.contains("Bo Madsen"))

        #expect(try daemon.ctl(["rota", "uncover", id]).status == 0)
        #expect(paged(try trigger(daemon)) == ["anna"])
        let kinds = try journalKinds(daemon)
        #expect(kinds.contains("rota.override_added") && kinds.contains("rota.override_removed"))

        let bad = try daemon.ctl([
            "rota", "cover", "--rotation", "nurses", "--person", "bo", "--from", "1h", "--to", "2099-01-01",
        ])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains(#"rotation: unknown rotation "nurses""#))
    }

    @Test func theCalendarParsesWithARealICalendarLibraryAndRoundTripsTheShifts() async throws {
        let token = "anna-calendar-token-0123456789"
        let daemon = try TestDaemon(
            config: Self.people(calendarToken: token) + """
                [[rotations]]
                id = "chiefs"
                members = ["anna", "bo"]
                start = "2026-01-05T08:00"
                handoffs = ["Mon 08:00", "Thu 08:00"]

                [escalation]
                steps = ["rotation:chiefs"]
                """)
        defer { daemon.cleanUp() }
        try await daemon.start()

        let file = daemon.folder.appendingPathComponent("anna.ics").path
        let export = try daemon.ctl(["rota", "ical", "--person", "anna", "--output", file])
        #expect(export.status == 0, "\(export.stderr)")
        let parsed = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", "-c",
                """
                import icalendar, json, sys
                cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
                events = [{"start": e.decoded("dtstart").strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "end": e.decoded("dtend").strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "summary": str(e.get("summary")), "uid": str(e.get("uid"))}
                          for e in cal.walk("VEVENT")]
                print(json.dumps(events))
                """,
                file,
            ])
        #expect(parsed.status == 0, "python icalendar: \(parsed.stderr)")
        let events = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String: String]] ?? []
        #expect(events.count >= 10, "13 weeks of Monday and Thursday hand-offs: \(events.count) events")
        #expect(events.allSatisfy { $0["summary"]?.contains("Anna Holm") == true })
        #expect(Set(events.compactMap { $0["uid"] }).count == events.count)

        // Round trip: every event is one of anna's shifts as crisisctl rota show has them.
        let show = try daemon.ctl(["rota", "show", "--person", "anna", "--from", "240h", "--days", "120", "--json"])
        let shifts = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [[String: Any]] ?? []
        let expected = Set(shifts.map { "\($0["start"] as? String ?? "")/\($0["end"] as? String ?? "")" })
        for event in events.dropFirst().dropLast() {  // the first and last may be cut by the feed's range
            #expect(expected.contains("\(event["start"]!)/\(event["end"]!)"), "\(event) is not a shift of anna's")
        }
        // Hand-offs at 08:00 local: 07:00Z in winter, 06:00Z in summer.
        #expect(events.allSatisfy { $0["start"]!.hasSuffix("T07:00:00Z") || $0["start"]!.hasSuffix("T06:00:00Z") })

        // Served over HTTP with the person's own token, and refused without it.
        let served = try await daemon.request("GET", "/v1/rota.ics?person=anna&token=\(token)", token: nil).reply()
        #expect(served.status == 200)
        #expect(served.text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        let refused = try await daemon.request("GET", "/v1/rota.ics?person=anna&token=guess", token: nil).reply()
        #expect(refused.status == 401)
        let bo = try await daemon.request("GET", "/v1/rota.ics?person=bo&token=\(token)", token: nil).reply()
        #expect(bo.status == 401, "anna's token does not open bo's calendar")
    }

    @Test func checkConfigReportsEveryGapWithItsBoundsAndStrictMakesThemAnError() throws {
        let daemon = try TestDaemon(
            config: Self.people() + """
                [[rotations]]
                id = "day"
                members = ["anna"]
                start = "2026-01-05T08:00"
                shift = "7d"
                active = ["Mon-Fri 08:00-16:00"]

                [[rotations]]
                id = "night"
                members = ["bo"]
                start = "2026-01-05T08:00"
                shift = "7d"
                active = ["Mon-Thu 16:00-08:00"]

                [[schedules]]
                id = "chiefs"
                layers = ["day", "night"]

                [escalation]
                steps = ["schedule:chiefs"]
                """)
        defer { daemon.cleanUp() }
        // The window is given, so the outcome does not depend on the day the suite runs. From a
        // Wednesday: two whole weekends, Friday 16:00 until Monday 08:00 (CET in January).
        let midweek = try daemon.ctl(["check-config", "--weeks", "2", "--from", "2027-01-06 12:00"])
        #expect(midweek.status == 0, "gaps are warnings without --strict: \(midweek.stdout)")
        #expect(
            Self.gaps(midweek.stdout) == [
                "chiefs: from 2027-01-08 16:00:00 CET until 2027-01-11 08:00:00 CET",
                "chiefs: from 2027-01-15 16:00:00 CET until 2027-01-18 08:00:00 CET",
            ], "\(midweek.stdout)")
        // From a Sunday morning: the first gap is already under way and the last is cut by the window's end.
        let sunday = try daemon.ctl(["check-config", "--weeks", "2", "--from", "2027-01-10T10:44:38Z"])
        #expect(
            Self.gaps(sunday.stdout) == [
                "chiefs: from 2027-01-10 11:44:38 CET until 2027-01-11 08:00:00 CET",
                "chiefs: from 2027-01-15 16:00:00 CET until 2027-01-18 08:00:00 CET",
                "chiefs: from 2027-01-22 16:00:00 CET until 2027-01-24 11:44:38 CET",
            ], "\(sunday.stdout)")

        let strict = try daemon.ctl(["check-config", "--weeks", "2", "--from", "2027-01-06 12:00", "--strict"])
        #expect(strict.status == 1)
    }

    /// The gap lines of `check-config`'s output, trimmed.
    private static func gaps(_ output: String) -> [String] {
        output.split(separator: "\n").filter { $0.contains("chiefs: from") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
