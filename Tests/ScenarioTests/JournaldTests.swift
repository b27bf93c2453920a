import Foundation
import Testing

/// crisisd under a real journald logs through the native protocol: ops find each event by its
/// fields (`journalctl MESSAGE_ID=… CRISIS_REF=…`), and no entry carries a note or a name.
@Suite struct JournaldTests {
    static let received = "c87a80deb8d34f308cc481b12ad258cc"
    static let paged = "ef9e00e5787345e48a542ff6bea43057"
    static let acknowledged = "0cb4c12b670946fca28b37fef5182a66"
    static let clockMetOrWaived = "eaa4dc471934421a8e2def9a366bdce6"

    @Test func aCrisisReceivedPagedAndAcknowledgedIsInTheJournalByFieldsWithNoNoteOrName() async throws {
        guard let journald = await Journald.ensure() else {
            #expect(!integrationRequired, "CRISISD_INTEGRATION is set: a journald (root, \(Journald.binary)) is needed")
            return
        }
        defer { journald.stop() }
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let daemon = try TestDaemon(config: Scenario.config(webhookURL: receiver.url))
        defer { daemon.cleanUp() }
        // As under systemd: crisisd finds journald by itself.
        try await daemon.start(environment: ["LOG_TARGET": "auto"])
        let pid = try #require(daemon.processIdentifier)

        let note = "employee hit on the head \(UUID().uuidString)"
        let trigger = try daemon.ctl([
            "trigger", "--category", "violence", "--site", "Depot 4", "--callback", "+45 20 00 00 00",
            "--requester-name", "Jens Jensen", "--note", note, "--json",
        ])
        #expect(trigger.status == 0, "\(trigger.stderr)")
        let receipt = try #require(try JSONSerialization.jsonObject(with: Data(trigger.stdout.utf8)) as? [String: Any])
        let reference = try #require(receipt["reference"] as? String)
        _ = await receiver.waitFor(1)
        let ack = try daemon.ctl(["ack", reference, "--by", "anna"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let contacted = try daemon.ctl(["record", reference, "contacted", "--by", "anna"])
        #expect(contacted.status == 0, "\(contacted.stderr)")

        // Exactly as ops query: this daemon's entries, by identifier and crisis.
        let query = ["SYSLOG_IDENTIFIER=crisisd", "_PID=\(pid)", "CRISIS_REF=\(reference)"]
        var found: (entries: [[String: Any]], text: String) = ([], "")
        let ids = [Self.received, Self.paged, Self.acknowledged, Self.clockMetOrWaived]
        let arrived = try await eventually(timeout: 15) {
            found = try Journald.entries(query)
            return ids.allSatisfy { id in found.entries.contains { $0["MESSAGE_ID"] as? String == id } }
        }
        #expect(arrived, "the journal has \(found.entries.map { $0["MESSAGE"] ?? "?" })")
        func entry(_ id: String) -> [String: Any] {
            found.entries.first { $0["MESSAGE_ID"] as? String == id } ?? [:]
        }

        let received = entry(Self.received)
        // The message reads as the line on standard error would, for journalctl's plain view and --grep.
        #expect((received["MESSAGE"] as? String)?.hasPrefix("crisis received category=violence crisis_ref=") == true)
        #expect(received["PRIORITY"] as? String == "5")
        #expect(received["CRISIS_CATEGORY"] as? String == "violence")
        #expect(received["CRISIS_STEP"] as? String == "1")
        #expect(received["PAGED"] as? String == "anna")

        let page = entry(Self.paged)
        #expect((page["MESSAGE"] as? String)?.hasPrefix("page delivered") == true)
        #expect(page["PRIORITY"] as? String == "6")
        #expect(page["PAGE_CHANNEL"] as? String == "pages")
        #expect(page["RECIPIENT_ID"] as? String == "anna")
        #expect(page["CRISIS_CATEGORY"] as? String == "violence")
        #expect(page["CRISIS_STEP"] as? String == "1")

        let acknowledged = entry(Self.acknowledged)
        #expect((acknowledged["MESSAGE"] as? String)?.hasPrefix("crisis acknowledged") == true)
        #expect(acknowledged["PRIORITY"] as? String == "5")
        #expect(acknowledged["BY"] as? String == "anna")

        let met = entry(Self.clockMetOrWaived)
        #expect(met["CLOCK"] as? String == "contact")
        #expect(met["OUTCOME"] as? String == "met")

        for event in found.entries {
            #expect(event["SYSLOG_IDENTIFIER"] as? String == "crisisd")
            #expect(event["CRISIS_REF"] as? String == reference)
        }

        // Nothing of the note or the requester, and no one's name, in any entry of this daemon.
        let everything = try Journald.entries(["_PID=\(pid)"]).text
        for secret in [note, "hit on the head", "Jens Jensen", "Anna Holm"] {
            #expect(!everything.contains(secret), "the journal holds \"\(secret)\"")
        }
        // The native protocol, not standard error, carried them.
        #expect(!daemon.log.contains("crisis received"), "\(daemon.log)")
    }
}
