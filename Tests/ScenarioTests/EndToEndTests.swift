import Foundation
import Testing

/// The whole product, as a leader and a chief psychologist use it: real crisisd, real crisisctl,
/// a real HTTP receiver for the pages.
@Suite struct EndToEndTests {
    @Test func aCrisisRaisedByCLIPagesTheChiefOnDutyWithASignedPageAndIsAcknowledged() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }

        let trigger = try scenario.daemon.ctl([
            "trigger", "--category", "violence", "--site", "Albertslund Rådhus, 2nd floor", "--callback",
            "+45 20 00 00 00",
            "--requester-name", "Jens Jensen", "--note", "employee hit on the head", "--people", "2", "--json",
        ])
        #expect(trigger.status == 0, "\(trigger.stderr)")
        let receipt = try JSONSerialization.jsonObject(with: Data(trigger.stdout.utf8)) as! [String: Any]
        let reference = try #require(receipt["reference"] as? String)
        #expect(reference.wholeMatch(of: /CR-[2-9A-HJKMNP-Z]{4}/) != nil)
        let paged = try #require(receipt["paged"] as? [[String: Any]])
        #expect(paged.map { $0["person"] as? String } == ["anna"])
        #expect(paged.first?["phone"] as? String == "+4520000001")
        #expect(paged.first?["reason"] as? String == "on duty on chiefs", "\(paged)")

        let pages = await scenario.receiver.waitFor(1)
        let page = try #require(pages.first)
        // Signed the Standard Webhooks way: the reference library verifies the page as sent and
        // refuses it altered or replayed.
        #expect(page.header("webhook-id")?.hasPrefix("\(reference)-page-") == true)
        let check = try standardWebhooksCheck(page, secret: TestDaemon.secret)
        #expect(check.status == 0, "python standardwebhooks: \(check.stderr)")
        #expect(check.stdout.split(separator: "\n").first == "as sent: ok", "\(check.stdout)")
        #expect(check.stdout.contains("altered: refused (No matching signature found)"), "\(check.stdout)")
        #expect(check.stdout.contains("replayed 6 min later: refused (Message timestamp too old)"), "\(check.stdout)")
        let body = page.json
        #expect(body["reference"] as? String == reference)
        #expect(body["category"] as? String == "violence")
        #expect(body["site"] as? String == "Albertslund Rådhus, 2nd floor")
        #expect(body["callback"] as? String == "+45 20 00 00 00")
        #expect(body["recipient"] as? String == "anna")
        #expect(body["step"] as? Int == 1)
        #expect(body["attempt"] as? Int == 1)
        // The person's own acknowledgement link: a random token, nothing guessable in it.
        let ackURL = try #require(body["ack_url"] as? String)
        #expect(
            ackURL.hasPrefix("\(scenario.daemon.baseURL)/a/") && ackURL.count == scenario.daemon.baseURL.count + 3 + 43)
        #expect(!ackURL.contains(reference))
        let deadlines = try #require(body["deadlines"] as? [String: String])
        let received = try Date(#require(body["received_at"] as? String), strategy: .iso8601)
        let contact = try Date(#require(deadlines["contact"]), strategy: .iso8601)
        let onsite = try Date(#require(deadlines["onsite"]), strategy: .iso8601)
        #expect(contact.timeIntervalSince(received) == 3600)
        #expect(onsite.timeIntervalSince(received) == 4 * 3600)
        // Privacy: the page carries neither the requester's name nor the note.
        let text = String(decoding: page.body, as: UTF8.self)
        #expect(!text.contains("Jens"))
        #expect(!text.contains("head"))

        let ack = try scenario.daemon.ctl(["ack", reference, "--by", "anna"])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(ack.stdout.contains("Acknowledged \(reference) as anna"))

        let status = try scenario.daemon.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        #expect(crisis["status"] as? String == "acknowledged")
        #expect(crisis["acknowledged_by"] as? String == "anna")
        let clocks = try #require(crisis["clocks"] as? [[String: Any]])
        #expect(clocks.first { $0["kind"] as? String == "ack" }?["outcome"] as? String == "met")
        #expect(crisis["note"] == nil && crisis["requester_name"] == nil)

        let journal = try scenario.daemon.ctl(["journal", "--crisis", reference, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as! [[String: Any]]
        let kinds = entries.compactMap { $0["kind"] as? String }
        for expected in [
            "crisis.received", "crisis.routed", "clock.started", "page.queued", "page.attempted", "page.delivered",
            "crisis.acknowledged",
        ] {
            #expect(kinds.contains(expected), "journal lacks \(expected): \(kinds)")
        }
        #expect(kinds.firstIndex(of: "crisis.received")! < kinds.firstIndex(of: "page.delivered")!)
        #expect(kinds.firstIndex(of: "page.delivered")! < kinds.firstIndex(of: "crisis.acknowledged")!)
        #expect(!journal.stdout.contains("Jens"), "the journal's shown entries carry no requester name")
    }

    @Test func aCrisisRaisedOverHTTPIsPagedAndAcknowledgedOverTheControlSocket() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }

        let receipt = try await scenario.raise(
            #"{"category":"accident","site":"Warehouse B","callback":"+4512345678","requester_role":"hr","group":true,"drill":true}"#
        )
        let reference = try #require(receipt["reference"] as? String)
        #expect(receipt["status"] as? String == "received")
        #expect(receipt["drill"] as? Bool == true)

        let pages = await scenario.receiver.waitFor(1)
        #expect(pages.first?.json["reference"] as? String == reference)
        #expect(pages.first?.json["drill"] as? Bool == true)

        let crisis = try await scenario.daemon.request("GET", "/v1/crises/\(reference)").reply()
        #expect(crisis.status == 200)
        #expect(crisis.json["requester_role"] as? String == "hr")
        #expect(crisis.json["group"] as? Bool == true)

        // The provider acknowledges through crisisctl's socket; a requester token may not.
        let ack = try await scenario.daemon.control("POST", "/v1/crises/\(reference)/ack", json: #"{"by":"anna"}"#)
            .reply()
        #expect(ack.status == 200)
        #expect(ack.json["acknowledged_by"] as? String == "anna")
        #expect(ack.json["already_acknowledged"] as? Bool == false)

        let again = try await scenario.daemon.control("POST", "/v1/crises/\(reference)/ack", json: #"{"by":"bo"}"#)
            .reply()
        #expect(again.json["already_acknowledged"] as? Bool == true)
        #expect(again.json["acknowledged_by"] as? String == "anna", "the first acknowledgement stands")
    }

    @Test func withNoOneOnDutyTheCrisisIsStillRecordedAndEveryMemberIsPaged() async throws {
        let scenario = try await Scenario.start(
            members: ["anna", "bo"], rotationStart: "2099-01-05T08:00",
            escalation: #"steps = ["rotation:chiefs"]\#nexhausted = ["person:lead"]"#)
        defer { scenario.stop() }

        let trigger = try scenario.daemon.ctl([
            "trigger", "--category", "death", "--site", "Depot", "--callback", "+4512345678",
        ])
        #expect(trigger.status == 0, "\(trigger.stderr)")
        #expect(trigger.stdout.contains("WARNING: no one is on duty"))
        #expect(trigger.stdout.contains("Anna Holm") && trigger.stdout.contains("Bo Madsen"))

        // Every member of the rotation, and the exhausted targets at once.
        let pages = await scenario.receiver.waitFor(3)
        #expect(Set(pages.compactMap { $0.json["recipient"] as? String }) == ["anna", "bo", "lead"])
        #expect(scenario.daemon.log.contains("critical"), "a critical entry is logged: \(scenario.daemon.log)")
        let journal = try scenario.daemon.ctl(["journal", "--json"])
        #expect(journal.stdout.contains("crisis.unstaffed"))
    }

    @Test func aConsoleChannelShowsThePageOnTheDaemonsOutput() async throws {
        let daemon = try TestDaemon(
            config: """
                [[people]]
                id = "anna"
                name = "Anna Holm"
                phone = "+4520000001"
                contacts = ["console"]

                [[channels]]
                id = "console"
                type = "console"

                [[rotations]]
                id = "chiefs"
                members = ["anna"]
                start = "2026-01-05T08:00"
                shift = "7d"

                [escalation]
                steps = ["rotation:chiefs"]
                """)
        defer { daemon.cleanUp() }
        try await daemon.start()
        let trigger = try daemon.ctl([
            "trigger", "--category", "harassment", "--site", "Office 3", "--callback", "+4512345678", "--note",
            "private words",
        ])
        #expect(trigger.status == 0, "\(trigger.stderr)")
        let shown = await eventually { daemon.stdout.contains("CRISIS CR-") }
        #expect(shown, "page not shown: \(daemon.stdout)")
        #expect(daemon.stdout.contains("Office 3") && daemon.stdout.contains("+4512345678"))
        #expect(!daemon.log.contains("private words"), "the note never reaches the log or console")
    }

    @Test func sigtermStopsTheDaemonCleanlyAndJournalsIt() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let status = scenario.daemon.terminate()
        #expect(status == 0, "\(scenario.daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: scenario.daemon.socketPath), "the control socket is removed")
        try await scenario.daemon.start()
        let journal = try scenario.daemon.ctl(["journal", "--json"])
        let kinds = (try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as! [[String: Any]]).compactMap {
            $0["kind"] as? String
        }
        #expect(kinds.filter { $0 == "daemon.started" }.count == 2)
        #expect(kinds.contains("daemon.stopping"))
        #expect(kinds.contains("config.loaded"))
    }
}
