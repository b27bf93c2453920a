import CrisisApp
import CrisisConfig
import CrisisCore
import CrisisSQLite
import CrisisStorage
import CrisisTesting
import Foundation
import Logging
import Testing

/// A webhook page an intake claims is sent from its hand-over, in the crisis's transaction, not
/// after the sender's loop has taken it: no hop stands between the crisis's transaction and its
/// page. The loop then records the outcome, and sends nothing twice.
@Suite struct HandOverTransferTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func draft(_ reference: CrisisReference) -> CrisisDraft {
        .sample(reference, at: t0, pages: [CrisisDraft.Page(person: "anna", channel: "pages", step: 1)])
    }

    /// A page sender and the SQLite store it records in, its webhook channel posting to `receiver`.
    func sender(to receiver: WebhookReceiver) throws -> (PageSender, SQLiteCrisisStore) {
        let folder = TestFolder.unique("handover-transfer")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configPath = folder.appendingPathComponent("crisisd.toml").path
        try (TestDaemon.settings(folder: folder, port: 1) + Scenario.config(webhookURL: receiver.url))
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: configPath)
        let store = try SQLiteCrisisStore(path: folder.appendingPathComponent("crisisd.sqlite").path)
        let logger = Logger(label: "test")
        let sender = PageSender(
            store: store, channels: PageChannels(config, logger: logger), retry: config.delivery.retry,
            publicURL: config.http.publicURL, ackLinkValidFor: config.http.ackLinkValidFor,
            clock: ManualClock(now: t0), logger: logger)
        return (sender, store)
    }

    @Test func aWebhookPageLeavesFromItsHandOverBeforeTheSendersLoopRunsWhichThenRecordsItsOutcome() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let (sender, store) = try sender(to: receiver)

        // The sender's loop is not running: only the hand-over can send the page.
        let reference = CrisisReference(parsing: "CR-7K4P")!
        let recorded = try await store.record(draft(reference), claiming: try #require(sender.immediateClaim))
        #expect(recorded.claimed.count == 1)
        let arrived = await receiver.waitFor(1)
        #expect(arrived.count == 1, "the page went out before the sender's loop ran")
        #expect(arrived.first?.json["reference"] as? String == "CR-7K4P")
        #expect(
            try await store.journal(reference: reference, since: nil, limit: 100).allSatisfy {
                $0.kind != .pageDelivered
            })

        let loop = Task { try await sender.run() }
        defer { loop.cancel() }
        let recordedOutcome = await eventually(timeout: 10) {
            let journal = (try? await store.journal(reference: reference, since: nil, limit: 100)) ?? []
            return journal.contains { $0.kind == .pageDelivered }
        }
        #expect(recordedOutcome, "the loop records the outcome of the request its hand-over started")
        try await Task.sleep(for: .milliseconds(200))
        #expect(receiver.deliveries.count == 1, "and does not send it again")
    }

    /// Once the sender's loop has stopped, a hand-over starts no request whose outcome no one
    /// would record: the page waits for its retry instant after the restart, as before.
    @Test func afterTheSendersLoopStoppedAHandOverStartsNoRequest() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let (sender, store) = try sender(to: receiver)
        let stopped = Locked(false)
        let loop = Task {
            try await sender.run()
            stopped.withLock { $0 = true }
        }
        loop.cancel()
        #expect(await eventually(timeout: 10) { stopped.value }, "the loop ends when its task is cancelled")

        let recorded = try await store.record(
            draft(CrisisReference(parsing: "CR-7K4P")!), claiming: try #require(sender.immediateClaim))
        #expect(recorded.claimed.count == 1)
        try await Task.sleep(for: .milliseconds(500))
        #expect(receiver.deliveries.isEmpty, "nothing was sent after the stop")
    }
}
