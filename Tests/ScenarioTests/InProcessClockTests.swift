import CrisisStorage
import CrisisTesting
import Foundation
import Testing

/// The escalation policy and the response clocks with real durations, run in-process on a manual
/// clock (they ran on the real binary with waits of seconds): the test moves time to the instants
/// the policy names, and pages arrive at a real webhook receiver. crisisctl talks to the app over
/// its control socket, as on a server. Each runs on both stores: the SQLite file and the
/// in-memory store of the same port.
@Suite struct InProcessClockTests {
    enum Store: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, inMemory

        var testDescription: String { rawValue }

        func make() -> (any CrisisStore)? {
            switch self {
            case .sqlite: nil  // the app opens its own file in its state folder
            case .inMemory: InMemoryCrisisStore()
            }
        }
    }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    static let twoSteps = """
        steps = [
            { notify = ["rotation:chiefs"], wait = "5m" },
            { notify = ["rotation:chiefs:backup"], wait = "5m" },
        ]
        breach = ["person:lead"]
        exhausted = ["person:lead"]
        """

    /// The contract's own clock: contact within 1 h, warned 15 min before.
    static let contactClock = #"contact = "1h"\#nwarn_before = "15m""#
    static let oneStepWithBreach = #"steps = ["rotation:chiefs"]\#nbreach = ["person:lead"]"#

    /// An app on the scenario's config, paging `receiver`.
    static func app(
        _ receiver: WebhookReceiver, on store: Store, clocks: String = "", escalation: String = twoSteps
    ) async throws -> InProcessDaemon {
        try await InProcessDaemon(
            config: Scenario.config(webhookURL: receiver.url, clocks: clocks, escalation: escalation), now: t0,
            store: store.make())
    }

    static func raise(_ app: InProcessDaemon) async throws -> String {
        let reply = try await app.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00"}"#
        ).reply()
        guard reply.status == 201, let reference = reply.json["reference"] as? String else {
            throw TestFailure("expected 201, got \(reply.status): \(reply.text)")
        }
        return reference
    }

    func pages(_ receiver: WebhookReceiver, kind: String? = nil) -> [WebhookReceiver.Delivery] {
        receiver.deliveries.filter { kind == nil || $0.json["kind"] as? String == kind }
    }

    /// Lets the app act on the instant the clock was moved to, so that an absence can be asserted.
    func settle() async throws { try await Task.sleep(for: .milliseconds(300)) }

    /// An intake whose first deadline falls after the engine's alarm asks for no pass: each crisis
    /// still escalates at its own instant.
    @Test(arguments: Store.allCases) func aCrisisRaisedWhileAnEarlierStepIsPendingEscalatesAtItsOwnInstant(
        on store: Store
    ) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store)
        let first = try await Self.raise(app)
        app.clock.advance(by: 120)
        let second = try await Self.raise(app)
        #expect(await eventually { pages(receiver, kind: "crisis").count == 2 })

        func steps(_ reference: String) -> Int {
            pages(receiver, kind: "crisis").filter {
                $0.json["reference"] as? String == reference && $0.json["step"] as? Int == 2
            }
            .count
        }
        app.clock.advance(by: 180)  // t0 + 5 min: the first's step
        #expect(await eventually { steps(first) == 1 })
        try await settle()
        #expect(steps(second) == 0, "the second crisis escalated before its wait ended")
        app.clock.advance(by: 119)
        try await settle()
        #expect(steps(second) == 0, "the second crisis escalated before its wait ended")
        app.clock.advance(by: 1)  // t0 + 7 min: the second's step
        #expect(await eventually { steps(second) == 1 })
        await app.stop()
    }

    @Test(arguments: Store.allCases) func anUnacknowledgedPageEscalatesToTheBackupAfterItsWait(on store: Store)
        async throws
    {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store)
        let reference = try await Self.raise(app)
        #expect(await eventually { pages(receiver, kind: "crisis").count == 1 })

        app.clock.advance(by: 299)
        try await settle()
        #expect(pages(receiver, kind: "crisis").count == 1, "the backup is not paged before the first step's wait ends")
        app.clock.advance(by: 1)
        #expect(await eventually { pages(receiver, kind: "crisis").count >= 2 })
        let crisisPages = pages(receiver, kind: "crisis")
        #expect(crisisPages.map { $0.json["recipient"] as? String } == ["anna", "bo"])
        #expect(crisisPages.map { $0.json["step"] as? Int } == [1, 2])

        // Then the lead, when every step went unacknowledged.
        app.clock.advance(by: 300)
        #expect(await eventually { !pages(receiver, kind: "exhausted").isEmpty })
        #expect(pages(receiver, kind: "exhausted").first?.json["recipient"] as? String == "lead")
        #expect(pages(receiver, kind: "exhausted").first?.json["reference"] as? String == reference)
        #expect(app.log.contains("critical"), "exhaustion is a critical log entry")
        await app.stop()
    }

    @Test(arguments: Store.allCases) func anAcknowledgementStopsTheEscalation(on store: Store) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store)
        let reference = try await Self.raise(app)
        _ = await receiver.waitFor(1)
        app.clock.advance(by: 240)
        let ack = try await app.ctl(["ack", reference, "--by", "anna"])
        #expect(ack.status == 0, "\(ack.stderr)")
        app.clock.advance(by: 3600)
        try await settle()
        #expect(
            pages(receiver, kind: "crisis").map { $0.json["recipient"] as? String } == ["anna"],
            "no step after the acknowledgement")
        await app.stop()
    }

    @Test(arguments: Store.allCases) func anUnmetContactClockSendsAWarningThenABreach(on store: Store) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store, clocks: Self.contactClock, escalation: Self.oneStepWithBreach)
        let reference = try await Self.raise(app)
        _ = await receiver.waitFor(1)
        #expect(try await app.ctl(["ack", reference, "--by", "anna"]).status == 0)

        app.clock.advance(by: 45 * 60 - 1)
        try await settle()
        #expect(pages(receiver, kind: "warning").isEmpty, "no warning before 45 min")
        app.clock.advance(by: 1)
        #expect(await eventually { pages(receiver, kind: "warning").count >= 2 })
        #expect(pages(receiver, kind: "breach").isEmpty, "no breach before the deadline")
        app.clock.advance(by: 15 * 60)
        #expect(await eventually { pages(receiver, kind: "breach").count >= 2 })
        let warnings = pages(receiver, kind: "warning")
        let breaches = pages(receiver, kind: "breach")
        // The acknowledging psychologist and the breach target hear of each.
        #expect(Set(warnings.compactMap { $0.json["recipient"] as? String }) == ["anna", "lead"])
        #expect(Set(breaches.compactMap { $0.json["recipient"] as? String }) == ["anna", "lead"])
        #expect(warnings.allSatisfy { $0.json["clock"] as? String == "contact" })

        let status = try await app.ctl(["status", reference, "--json"])
        let crisis = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let contact = (crisis?["clocks"] as? [[String: Any]])?.first { $0["kind"] as? String == "contact" }
        #expect(contact?["outcome"] as? String == "breached")
        #expect(
            contact?["ended_at"] as? String == contact?["due_at"] as? String, "a breach is recorded at the deadline")
        #expect(contact?["due_at"] as? String == "2027-01-15T09:00:00Z")
        await app.stop()
    }

    @Test(arguments: Store.allCases) func aMetClockSendsNeitherWarningNorBreach(on store: Store) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store, clocks: Self.contactClock, escalation: Self.oneStepWithBreach)
        let reference = try await Self.raise(app)
        #expect(try await app.ctl(["ack", reference, "--by", "anna"]).status == 0)
        app.clock.advance(by: 20 * 60)
        let contacted = try await app.ctl(["record", reference, "contacted", "--by", "anna"])
        #expect(contacted.status == 0, "\(contacted.stderr)")
        #expect(contacted.stdout.contains("contact      MET"))
        app.clock.advance(by: 2 * 3600)
        try await settle()
        #expect(pages(receiver, kind: "warning").isEmpty)
        #expect(pages(receiver, kind: "breach").isEmpty)
        await app.stop()
    }

    /// A clock of the administrator's own: arrival on site within 90 minutes of a dispatch, its
    /// misses told to the breach targets only, waivable by a lead.
    static let arrivalClock = """
        warn_before = "15m"

        [clocks.arrival]
        label = "arrival after dispatch"
        starts = "dispatched"
        stops = "onsite"
        deadline = "90m"
        warn_before = "10m"
        notify = ["breach"]
        waivable_by = ["lead"]
        """

    @Test(arguments: Store.allCases) func aClockOfTheAdministratorsOwnStartsAtItsMilestoneAndPagesItsAudience(
        on store: Store
    ) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store, clocks: Self.arrivalClock, escalation: Self.oneStepWithBreach)
        let reference = try await Self.raise(app)
        #expect(try await app.ctl(["ack", reference, "--by", "anna"]).status == 0)
        #expect(try await app.ctl(["record", reference, "contacted", "--by", "anna"]).status == 0)
        app.clock.advance(by: 10 * 60)
        let dispatched = try await app.ctl(["record", reference, "dispatched", "--by", "anna", "--to", "bo"])
        #expect(dispatched.status == 0, "\(dispatched.stderr)")
        #expect(dispatched.stdout.contains("arrival after dispatch by 2027-01-15 10:40:00 CET"), "\(dispatched.stdout)")

        // Warned 10 min before its deadline, 80 min after the dispatch, and only the lead hears.
        app.clock.advance(by: 80 * 60 - 1)
        try await settle()
        #expect(pages(receiver, kind: "warning").filter { $0.json["clock"] as? String == "arrival" }.isEmpty)
        app.clock.advance(by: 1)
        #expect(
            await eventually { pages(receiver, kind: "warning").contains { $0.json["clock"] as? String == "arrival" } })
        app.clock.advance(by: 10 * 60)
        #expect(
            await eventually { pages(receiver, kind: "breach").contains { $0.json["clock"] as? String == "arrival" } })
        try await settle()
        let arrival = receiver.deliveries.filter { $0.json["clock"] as? String == "arrival" }
        #expect(arrival.compactMap { $0.json["recipient"] as? String } == ["lead", "lead"])
        #expect((arrival.last?.json["labels"] as? [String: String])?["arrival"] == "arrival after dispatch")

        let status = try await app.ctl(["status", reference])
        #expect(
            status.stdout.contains("arrival after dispatch BREACHED at 2027-01-15 10:40:00 CET"), "\(status.stdout)")
        await app.stop()
    }

    @Test(arguments: Store.allCases) func aClockIsWaivedByNameOnlyByTheRolesItsRuleNames(on store: Store) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store, clocks: Self.arrivalClock, escalation: Self.oneStepWithBreach)
        let reference = try await Self.raise(app)
        #expect(try await app.ctl(["record", reference, "dispatched", "--by", "anna", "--to", "bo"]).status == 0)

        let byAnna = try await app.ctl(
            ["record", reference, "waive", "--clock", "arrival", "--by", "anna", "--reason", "bo is already there"])
        #expect(byAnna.status != 0)
        #expect(byAnna.stderr.contains("only a person with the role lead may waive the arrival after dispatch clock"))

        let byLead = try await app.ctl(
            ["record", reference, "waive", "--clock", "arrival", "--by", "lead", "--reason", "bo is already there"])
        #expect(byLead.status == 0, "\(byLead.stderr)")
        #expect(byLead.stdout.contains("WAIVED"), "\(byLead.stdout)")
        let journal = try await app.ctl(["journal", "--crisis", reference, "--json"])
        #expect(journal.status == 0, "\(journal.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [[String: Any]] ?? []
        let data = entries.compactMap { $0["data"] as? [String: String] }
        #expect(data.contains { $0["milestone"] == "waive" && $0["clock"] == "arrival" && $0["by"] == "lead" })
        #expect(data.contains { $0["clock"] == "arrival" && $0["outcome"] == "waived" })
        #expect(
            data.contains { $0["clock"] == "arrival" && $0["due_at"] == "2027-01-15T09:30:00Z" && $0["outcome"] == nil }
        )
        await app.stop()
    }

    @Test(arguments: Store.allCases) func aCrisisAnEmployeeRaisedOwesTheirLeaderWordAndTheResponderIsReminded(
        on store: Store
    ) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await Self.app(receiver, on: store, escalation: Self.oneStepWithBreach)
        let employee = try await app.request(
            "POST", "/v1/crises",
            json: #"{"category":"violence","site":"Depot 4","callback":"+45 20 00 00 00","requester_role":"employee"}"#
        ).reply()
        let reference = try #require(employee.json["reference"] as? String)
        #expect(try await app.ctl(["ack", reference, "--by", "anna"]).status == 0)
        let leader = try await app.request(
            "POST", "/v1/crises", json: #"{"category":"violence","site":"Depot 5","callback":"+45 20 00 00 01"}"#
        ).reply()
        let led = try #require(leader.json["reference"] as? String)
        #expect(try await app.ctl(["ack", led, "--by", "anna"]).status == 0)
        #expect(
            try await app.ctl(["status", reference]).stdout.contains("leader informed by 2027-01-15 11:00:00 CET"),
            "status shows what is owed")
        #expect(!(try await app.ctl(["status", led]).stdout.contains("leader informed")), "a leader raised that one")

        app.clock.advance(by: 2 * 3600 - 1)
        try await settle()
        #expect(!pages(receiver, kind: "breach").contains { $0.json["clock"] as? String == "leader_informed" })
        app.clock.advance(by: 1)
        #expect(
            await eventually {
                pages(receiver, kind: "breach").contains { $0.json["clock"] as? String == "leader_informed" }
            })
        try await settle()
        let reminders = pages(receiver, kind: "breach").filter { $0.json["clock"] as? String == "leader_informed" }
        #expect(reminders.map { $0.json["recipient"] as? String } == ["anna"], "the responder, not the breach targets")
        #expect(reminders.allSatisfy { $0.json["reference"] as? String == reference })

        // Recording it then still says when, and lets the crisis close once its other clocks end.
        let informed = try await app.ctl(["record", reference, "leader-informed", "--by", "anna"])
        #expect(informed.status == 0, "\(informed.stderr)")
        #expect(informed.stdout.contains("leader informed BREACHED at 2027-01-15 11:00:00 CET"), "\(informed.stdout)")
        await app.stop()
    }
}
