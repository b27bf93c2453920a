import CrisisConfig
import CrisisCore
import CrisisStorage
import Foundation
import Prometheus

/// What `GET /metrics` shows, in Prometheus' text format through swift-prometheus.
///
/// Each daemon owns its registry (no global bootstrap), so several daemons in one test process
/// keep their counts apart. Labels carry categories, channel ids, clock names and outcomes only:
/// never a person, a reference or any text a person wrote.
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private let escalations: Counter
    private let acknowledgeTime: ValueHistogram
    private let commitTime: DurationHistogram
    private let engineLag: Gauge
    private let reloadSucceeded: Gauge
    private let reloadSucceededAt: Gauge

    /// Response times of interest, in seconds: from half a minute to four hours.
    static let acknowledgeBuckets: [Double] = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400]
    static let commitBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        escalations = registry.makeCounter(
            descriptor: Self.name(
                "escalations", "total", "Escalation steps taken because a crisis was not acknowledged in time."),
            labels: [])
        acknowledgeTime = registry.makeValueHistogram(
            descriptor: Self.name(
                "time_to_acknowledge", "seconds", "Time from a crisis being received to its first acknowledgement."),
            labels: [], buckets: Self.acknowledgeBuckets)
        commitTime = registry.makeDurationHistogram(
            descriptor: Self.name(
                "store_commit_duration", "seconds",
                "Time one write transaction of the store took to commit, its sync to disk included."),
            labels: [], buckets: Self.commitBuckets)
        engineLag = registry.makeGauge(
            descriptor: Self.name(
                "engine_lag", "seconds",
                "How far the earliest deadline in the store is past due: above a few seconds the engine is behind."),
            labels: [])
        reloadSucceeded = registry.makeGauge(
            descriptor: Self.name(
                "config_last_reload_successful", "",
                "Whether the last config load or reload was applied (1) or refused (0)."),
            labels: [])
        reloadSucceededAt = registry.makeGauge(
            descriptor: Self.name(
                "config_last_reload_success_timestamp", "seconds",
                "Unix time of the last config load or reload that was applied."),
            labels: [])
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "crisisd", metricName: metric, unitName: unit, helpText: help)
    }

    // MARK: - Labelled families

    private func pagesSent(_ channel: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("pages_sent", "total", "Pages delivered, by the channel they went out on."),
            labels: [("channel", channel)])
    }

    private func pagesFailed(_ channel: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "pages_failed", "total", "Page attempts that failed (retried or given up), by channel."),
            labels: [("channel", channel)])
    }

    private func clockOutcomes(_ clock: String, _ outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "clock_outcomes", "total", "Response clocks ended, by clock name and outcome (met, waived, breached)."),
            labels: [("clock", clock), ("outcome", outcome)])
    }

    private func openCrises(_ category: CrisisCategory) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name("open_crises", "", "Crises not yet resolved, by category."),
            labels: [("category", category.rawValue)])
    }

    // MARK: - Events

    /// Makes every series the config can produce exist at zero, so a rate or an alert over it
    /// works before its first event.
    public func configure(for config: Config) {
        for channel in config.channels {
            _ = pagesSent(channel.id)
            _ = pagesFailed(channel.id)
        }
        for rule in config.clocks.rules {
            for outcome in ["met", "waived", "breached"] { _ = clockOutcomes(rule.name.rawValue, outcome) }
        }
        for category in CrisisCategory.allCases { _ = openCrises(category) }
    }

    /// Pages that went out as one message on `channel` and the outcome they share.
    func delivered(_ pages: Int, channel: String, outcome: DeliveryOutcome) {
        switch outcome {
        case .delivered: pagesSent(channel).increment(by: Int64(pages))
        case .failed: pagesFailed(channel).increment(by: Int64(pages))
        }
    }

    func escalated() { escalations.increment() }

    /// One `clock.ended` journal entry, from the engine (breached) or a milestone (met, waived).
    func clockEnded(_ entry: JournalEntry) {
        guard entry.kind == .clockEnded, let clock = entry.data["clock"], let outcome = entry.data["outcome"] else {
            return
        }
        clockOutcomes(clock, outcome).increment()
    }

    func acknowledged(after wait: TimeInterval) { acknowledgeTime.record(max(0, wait)) }

    /// Called by the store after each write transaction.
    public func committed(in duration: Duration) { commitTime.record(duration) }

    func reloaded(succeeded: Bool, at instant: Date) {
        reloadSucceeded.set(to: succeeded ? 1 : 0)
        if succeeded { reloadSucceededAt.set(to: instant.timeIntervalSince1970) }
    }

    // MARK: - Scrape

    /// The exposition, with the gauges read from the store first: what is open, and how late the
    /// earliest deadline is. When the store cannot be read they keep their last values.
    public func scrape(store: any CrisisStore, now: Date) async -> [UInt8] {
        if let open = try? await store.openCrises() {
            let counts = Dictionary(grouping: open, by: \.category).mapValues(\.count)
            for category in CrisisCategory.allCases {
                openCrises(category).set(to: Double(counts[category] ?? 0))
            }
        }
        do {
            let next = try await store.nextDeadline()
            engineLag.set(to: next.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        } catch {
            // The store cannot be read: the last value stands.
        }
        return registry.emitToBuffer()
    }
}
