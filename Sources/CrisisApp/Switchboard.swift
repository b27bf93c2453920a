import CrisisConfig
import CrisisCore
import CrisisHTTP
import CrisisStore
import Foundation
import Logging
import Synchronization

/// Takes crises in, decides whom to page, and records it all in one transaction before anyone
/// is told "received". The HTTP API and the control socket both call it.
public final class Switchboard: CrisisDesk {
    private let store: SQLiteCrisisStore
    private let config: Mutex<Config>
    private let clock: any WallClock
    private let logger: Logger
    private let pagesQueued: @Sendable () -> Void
    private let version: String

    public init(
        store: SQLiteCrisisStore, config: Config, clock: any WallClock, logger: Logger, version: String,
        pagesQueued: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.config = Mutex(config)
        self.clock = clock
        self.logger = logger
        self.version = version
        self.pagesQueued = pagesQueued
    }

    var currentConfig: Config { config.withLock { $0 } }

    // MARK: - Intake

    public func receive(_ form: IntakeForm, source: String, idempotencyKey: String?) async throws -> IntakeReceipt {
        let intake = try form.validated()
        let config = currentConfig
        let now = clock.now
        let plan = Self.plan(intake, config: config, at: now)

        var generator = SystemRandomNumberGenerator()
        var result: IntakeResult?
        for _ in 0..<50 {
            let reference = CrisisReference.random(using: &generator)
            let draft = Self.draft(
                plan, reference: reference, intake: intake, source: source, idempotencyKey: idempotencyKey, at: now)
            do {
                result = try store.record(draft)
                break
            } catch StoreError.referenceTaken {
                continue
            }
        }
        guard let result else { throw StoreError.referenceTaken }

        switch result {
        case .existing(let crisis):
            logger.info("repeated intake answered from the store", metadata: ["crisis_ref": "\(crisis.reference)"])
            return receipt(crisis, created: false, config: config)
        case .created(let crisis):
            var metadata: Logger.Metadata = [
                "crisis_ref": "\(crisis.reference)", "category": "\(crisis.category.rawValue)",
                "paged": "\(crisis.assigned.joined(separator: ","))", "drill": "\(crisis.drill)",
            ]
            if plan.routing.noOneOnDuty {
                metadata["unstaffed"] = "\(plan.routing.unstaffedRotations.joined(separator: ","))"
                logger.critical("crisis received with no one on duty: paging every member", metadata: metadata)
            } else {
                logger.notice("crisis received", metadata: metadata)
            }
            pagesQueued()
            return receipt(crisis, created: true, config: config)
        }
    }

    /// The pure part of intake: who is paged, on which channels, and the clocks.
    struct Plan {
        var routing: RoutingDecision
        var clocks: [ResponseClock]
        var pages: [CrisisDraft.Page]
    }

    static func plan(_ intake: Intake, config: Config, at now: Date) -> Plan {
        let firstStep = config.escalation.first?.targets ?? []
        let routing = Routing.route(firstStep, rota: config.rota, at: now)
        let clocks = config.clocks.startClocks(firstContact: now, group: intake.group)
        let pages = routing.recipients.flatMap { recipient in
            (config.person(recipient.person)?.contacts ?? []).map {
                CrisisDraft.Page(person: recipient.person, channel: $0, step: 1)
            }
        }
        return Plan(routing: routing, clocks: clocks, pages: pages)
    }

    static func draft(
        _ plan: Plan, reference: CrisisReference, intake: Intake, source: String, idempotencyKey: String?, at now: Date
    ) -> CrisisDraft {
        var journal = [
            JournalEntry(
                at: now, reference: reference, kind: .crisisReceived, actor: source,
                data: [
                    "category": intake.category.rawValue, "site": intake.site, "callback": intake.callback,
                    "requester_role": intake.requesterRole.rawValue, "group": "\(intake.group)", "drill": "\(intake.drill)",
                ])
        ]
        for recipient in plan.routing.recipients {
            journal.append(
                JournalEntry(
                    at: now, reference: reference, kind: .crisisRouted, actor: "crisisd",
                    data: ["person": recipient.person, "target": recipient.target, "reason": recipient.reason]))
        }
        if plan.routing.noOneOnDuty {
            journal.append(
                JournalEntry(
                    at: now, reference: reference, kind: .crisisUnstaffed, actor: "crisisd",
                    data: ["rotations": plan.routing.unstaffedRotations.joined(separator: ",")]))
        }
        for clock in plan.clocks {
            journal.append(
                JournalEntry(
                    at: now, reference: reference, kind: .clockStarted, actor: "crisisd",
                    data: ["clock": clock.kind.rawValue, "due_at": clock.dueAt.formatted(.iso8601)]))
        }
        for page in plan.pages {
            journal.append(
                JournalEntry(
                    at: now, reference: reference, kind: .pageQueued, actor: "crisisd",
                    data: ["person": page.person, "channel": page.channel, "step": "\(page.step)"]))
        }
        return CrisisDraft(
            reference: reference, intake: intake, source: source, idempotencyKey: idempotencyKey, receivedAt: now,
            assigned: plan.routing.recipients.map(\.person), noOneOnDuty: plan.routing.noOneOnDuty, clocks: plan.clocks,
            pages: plan.pages, journal: journal)
    }

    private func receipt(_ crisis: CrisisView, created: Bool, config: Config) -> IntakeReceipt {
        let routed = Dictionary(
            (try? store.journal(reference: crisis.reference))?.filter { $0.kind == .crisisRouted }
                .map { ($0.data["person"] ?? "", $0.data["reason"] ?? "") } ?? [],
            uniquingKeysWith: { a, _ in a })
        let paged = crisis.assigned.map { id in
            let person = config.person(id)
            return IntakeReceipt.Paged(
                person: id, name: person?.name ?? id, phone: person?.phone ?? "", reason: routed[id] ?? "")
        }
        return IntakeReceipt(
            reference: crisis.reference, created: created, receivedAt: crisis.receivedAt, drill: crisis.drill,
            paged: paged, noOneOnDuty: crisis.noOneOnDuty, clocks: crisis.clocks)
    }

    // MARK: - Acknowledgement and reads

    public func acknowledge(_ reference: CrisisReference, by person: String?, actor: String) async throws -> AckReceipt? {
        if let person, currentConfig.person(person) == nil {
            throw FieldError(field: "by", "unknown person \"\(person)\" (the people in the config: \(currentConfig.people.map(\.id).joined(separator: ", ")))")
        }
        let by = person ?? actor
        guard let receipt = try store.acknowledge(reference, by: by, actor: actor, at: clock.now) else { return nil }
        if !receipt.alreadyAcknowledged {
            logger.notice(
                "crisis acknowledged",
                metadata: ["crisis_ref": "\(reference)", "by": "\(by)", "cancelled_pages": "\(receipt.cancelledPages)"])
        }
        return receipt
    }

    public func crisis(_ reference: CrisisReference) async throws -> CrisisView? {
        try store.crisis(reference)
    }

    public func openCrises() async throws -> [CrisisView] {
        try store.openCrises()
    }

    public func journal(reference: CrisisReference?, since: Date?) async throws -> [JournalEntry] {
        try store.journal(reference: reference, since: since)
    }

    public func onCall(at instant: Date?) async -> OnCallView {
        OnCallView(rota: currentConfig.rota, at: instant ?? clock.now)
    }

    public func health() async -> HealthView {
        HealthView(status: "ok", version: version)
    }
}
