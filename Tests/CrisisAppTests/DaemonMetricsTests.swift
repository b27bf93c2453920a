import CrisisApp
import CrisisCore
import CrisisTesting
import Foundation
import Testing

/// What a scrape reads from the store itself: the open crises, and how late the earliest deadline
/// is. Here no engine runs, as when it is stalled: the lag grows with the clock.
@Suite struct DaemonMetricsTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A crisis received at t0: its ack clock and its next escalation step are due at t0 + 300 s.
    func draft() -> CrisisDraft {
        let reference = CrisisReference(parsing: "CR-7K4P")!
        return CrisisDraft(
            reference: reference, intake: Intake(category: .accident, site: "Depot 4", callback: "+4512345678"),
            source: "crisisctl", idempotencyKey: nil, receivedAt: t0, assigned: ["anna"], noOneOnDuty: false,
            clocks: ClockPolicy().startClocks(firstContact: t0, group: false),
            progress: EscalationProgress(nextAt: t0 + 300), pages: [],
            journal: [JournalEntry(at: t0, reference: reference, kind: .crisisReceived, actor: "crisisctl")])
    }

    static func value(_ body: [UInt8], _ series: String) -> Double? {
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func theEngineLagIsHowFarTheEarliestDeadlineIsPastDue() async throws {
        let store = InMemoryCrisisStore()
        _ = try await store.record(draft())
        let metrics = DaemonMetrics()

        let early = await metrics.scrape(store: store, now: t0 + 100)
        #expect(Self.value(early, "crisisd_engine_lag_seconds") == 0, "nothing is due yet")
        #expect(Self.value(early, #"crisisd_open_crises{category="accident"}"#) == 1)
        #expect(Self.value(early, #"crisisd_open_crises{category="violence"}"#) == 0)

        let late = await metrics.scrape(store: store, now: t0 + 390)
        #expect(Self.value(late, "crisisd_engine_lag_seconds") == 90)
    }

    @Test func twoDaemonsKeepTheirCountsApart() async throws {
        let a = DaemonMetrics()
        let b = DaemonMetrics()
        a.committed(in: .milliseconds(3))
        let store = InMemoryCrisisStore()
        #expect(Self.value(await a.scrape(store: store, now: t0), "crisisd_store_commit_duration_seconds_count") == 1)
        #expect(Self.value(await b.scrape(store: store, now: t0), "crisisd_store_commit_duration_seconds_count") == 0)
    }
}
