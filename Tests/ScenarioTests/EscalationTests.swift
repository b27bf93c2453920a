import CrisisSQLite
import CrisisStorage
import Foundation
import Testing

/// The clocks and the escalation policy on the real daemon, with durations of seconds: what only
/// a real process shows (a restart after kill -9, hundreds overdue at once, crisisctl's output).
/// The timing of steps, warnings and breaches runs in-process on a manual clock
/// (`InProcessClockTests`).
@Suite struct EscalationTests {
    static let twoSteps = """
        steps = [
            { notify = ["rotation:chiefs"], wait = "2s" },
            { notify = ["rotation:chiefs:backup"], wait = "2s" },
        ]
        breach = ["person:lead"]
        exhausted = ["person:lead"]
        """

    func pages(_ scenario: Scenario, kind: String? = nil) -> [WebhookReceiver.Delivery] {
        scenario.receiver.deliveries.filter { kind == nil || $0.json["kind"] as? String == kind }
    }

    @Test func anOverdueStepFiresWithinASecondOfARestartAfterAKillNine() async throws {
        let scenario = try await Scenario.start(escalation: Self.twoSteps)
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        // Kill once the first page is recorded as delivered (a kill before that resends it).
        let delivered = await eventually {
            (try? scenario.daemon.ctl(["journal", "--crisis", reference]).stdout.contains("page.delivered")) == true
        }
        #expect(delivered)
        scenario.daemon.kill9()
        // Stay down past the 2 s wait: the step is overdue when the daemon comes back.
        try await Task.sleep(for: .seconds(3))
        let restarted = Date()
        try await scenario.daemon.start()
        let escalated = await eventually(timeout: 5) { pages(scenario, kind: "crisis").count >= 2 }
        #expect(escalated)
        let backup = try #require(pages(scenario, kind: "crisis").dropFirst().first)
        #expect(backup.json["recipient"] as? String == "bo")
        #expect(
            backup.arrivedAt.timeIntervalSince(restarted) < 1.0 + 1.5,
            "start-up included; the step itself fires at once")
        let started = try #require(scenario.daemon.readyAt)
        #expect(
            backup.arrivedAt.timeIntervalSince(started) < 1.0,
            "the overdue step came \(backup.arrivedAt.timeIntervalSince(started)) s after the daemon was ready")
        // And the step was taken once: the journal has one escalation.step for step 2.
        let store = try SQLiteCrisisStore(path: scenario.daemon.databasePath)
        #expect(try await store.journal().filter { $0.kind == .escalationStep }.count == 1)
    }

    @Test func hundredsOfStepsOverdueAfterARestartAllFireInOnePass() async throws {
        let scenario = try await Scenario.start(escalation: Self.twoSteps)
        defer { scenario.stop() }
        scenario.daemon.kill9()
        try await scenario.daemon.start(environment: ["LOG_LEVEL": "warning"])
        let count = 450  // more than two of the engine's batches
        let references = Locked<[String]>([])
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<4 {
                group.addTask {
                    for _ in stride(from: client, to: count, by: 4) {
                        if let receipt = try? await scenario.raise() {
                            references.withLock { $0.append(receipt["reference"] as! String) }
                        }
                    }
                }
            }
        }
        #expect(references.value.count == count)
        scenario.daemon.kill9()
        try await Task.sleep(for: .seconds(3))  // every second step is now overdue
        try await scenario.daemon.start(environment: ["LOG_LEVEL": "warning"])
        let escalated = await eventually(timeout: 30) {
            Set(
                pages(scenario, kind: "crisis").filter { $0.json["step"] as? Int == 2 }.compactMap {
                    $0.json["reference"] as? String
                }
            )
            .count == count
        }
        #expect(escalated)
        #expect(!scenario.daemon.log.contains("still due after the engine ran"), "\(scenario.daemon.log.suffix(500))")
    }

    @Test func resolvingNeedsEveryClockEndedAndClosesTheCrisis() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        #expect(try scenario.daemon.ctl(["ack", reference, "--by", "anna"]).status == 0)

        let early = try scenario.daemon.ctl(["record", reference, "resolved", "--outcome", "calm", "--by", "anna"])
        #expect(early.status == 65)
        #expect(early.stderr.contains("the contact clock of \(reference) is still running: record contacted"))

        let contacted = try scenario.daemon.ctl(["record", reference, "contacted", "--by", "anna"])
        #expect(contacted.status == 0, "\(contacted.stderr)")
        let waive = try scenario.daemon.ctl([
            "record", reference, "waive-onsite", "--by", "anna", "--reason", "assessed by phone: no on-site need",
        ])
        #expect(waive.status == 0, "\(waive.stderr)")
        #expect(waive.stdout.contains("on site      WAIVED"))
        let resolved = try scenario.daemon.ctl([
            "record", reference, "resolved", "--outcome", "employees supported", "--by", "anna",
        ])
        #expect(resolved.status == 0, "\(resolved.stderr)")

        let open = try scenario.daemon.ctl(["status"])
        #expect(open.stdout.contains("No open crises."))
        let journal = try scenario.daemon.ctl(["journal", "--crisis", reference])
        #expect(journal.stdout.contains("crisis.resolved"))
        #expect(journal.stdout.contains("outcome=waived"))
        #expect(!journal.stdout.contains("employees supported"), "the free-text outcome stays out of the journal")
        // Over the control socket's HTTP API too, with the same rules.
        let late = try await scenario.daemon.control(
            "POST", "/v1/crises/\(reference)/milestones", json: #"{"milestone":"contacted"}"#
        ).reply()
        #expect(late.status == 400)
        #expect(late.json["field"] as? String == "milestone")
    }

    @Test func statusShowsRunningClocksWithTimeLeftAndTheOutcomeOfEndedOnes() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        #expect(try scenario.daemon.ctl(["ack", reference, "--by", "anna"]).status == 0)
        let status = try scenario.daemon.ctl(["status"])
        #expect(status.stdout.contains(reference))
        #expect(status.stdout.contains("acknowledge  MET at"))
        #expect(status.stdout.contains(/contact +by .*\(in 59m5\ds\)/))
        #expect(status.stdout.contains(/on site +by .*\(in 3h59m\)/))
    }
}
