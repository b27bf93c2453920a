import CrisisConfig
import CrisisCore
import CrisisHTTP
import CrisisStorage
import CrisisSystemd
import Foundation
import Logging

/// Takes crises in, decides whom to page, and records it all in one transaction before anyone
/// is told "received". The HTTP API and the control socket both call it.
public final class DaemonCrisisService: CrisisService {
    private let store: any CrisisStore
    private let config: ConfigHolder
    private let clock: any WallClock
    private let logger: Logger
    private let changed: @Sendable (CommittedChange) -> Void
    private let status: @Sendable () -> DaemonStatus
    private let boardKey: StateKey
    private let metrics: DaemonMetrics
    private let assessHealth: @Sendable () async -> HealthVerdict
    private let claimedPages: (any ClaimedPageSink)?

    /// - Parameters:
    ///   - changed: called after every committed change (pages queued, deadlines moved), with what
    ///     it may need of the sender and the engine.
    ///   - health: the daemon's health now, for `/healthz`; by default whether the store answers.
    ///   - claimedPages: takes the pages an intake claimed in its own transaction, to send at once;
    ///     without it, every page waits in the outbox for the sender.
    public init(
        store: any CrisisStore, config: ConfigHolder, clock: any WallClock, logger: Logger,
        metrics: DaemonMetrics = DaemonMetrics(), status: @escaping @Sendable () -> DaemonStatus,
        health: (@Sendable () async -> HealthVerdict)? = nil, claimedPages: (any ClaimedPageSink)? = nil,
        changed: @escaping @Sendable (CommittedChange) -> Void
    ) {
        self.metrics = metrics
        self.claimedPages = claimedPages
        self.assessHealth =
            health ?? { [store, clock] in
                var unanswered: String?
                do { try await store.ping() } catch { unanswered = "\(error)" }
                return HealthVerdict(
                    .init(engineSilentFor: 0, storeUnanswered: unanswered), now: clock.now, stallAfter: .infinity)
            }
        self.store = store
        self.config = config
        self.clock = clock
        self.logger = logger
        self.status = status
        self.changed = changed
        boardKey = StateKey(stateDir: config.config.stateDir, fileName: StateKey.boardLinks)
    }

    var currentConfig: Config { config.config }

    // MARK: - Intake

    public func receive(_ form: IntakeForm, source: String, idempotencyKey: String?) async throws -> IntakeReceipt {
        let intake = try form.validated()
        let (config, rota, routes) = self.config.routing
        if let requester = config.requester(source: source), !requester.may(raiseAs: intake.requesterRole) {
            let allowed = (requester.roles ?? []).map(\.rawValue).joined(separator: ", ")
            throw AccessDenied(
                field: "requester_role",
                "requester \"\(requester.id)\" may not raise a crisis as \(intake.requesterRole.rawValue) "
                    + "(its roles: \(allowed)); the provider's config lists the roles of each requester")
        }
        let now = clock.now
        let plan = IntakePlan(intake, escalation: config.escalation, clocks: config.clocks, rota: rota, at: now) {
            routes.route($0, at: now)
        }
        let receiptsVia = config.requester(source: source)?.receiptChannel(drill: intake.drill)

        var generator = SystemRandomNumberGenerator()
        var result: IntakeResult?
        var recorded: CrisisDraft?
        var allClaimed = false
        for _ in 0..<50 {
            let reference = CrisisReference.random(using: &generator)
            let draft = plan.draft(
                reference: reference, intake: intake, source: source, idempotencyKey: idempotencyKey,
                receiptsVia: receiptsVia, at: now)
            do {
                let recordedIntake = try await store.record(draft, claiming: claimedPages?.immediateClaim)
                result = recordedIntake.result
                recorded = draft
                // Its claimed pages were handed to the sender before the commit's sync to disk.
                allClaimed = recordedIntake.claimed.count == draft.pages.count
                break
            } catch StoreError.referenceTaken {
                continue
            } catch StoreError.idempotencyKeyReused(let existing) {
                throw FieldError(
                    field: "Idempotency-Key",
                    "was used before for a different report (\(existing)); use a new key for a new crisis")
            } catch {
                // The intake is one transaction, read-back included: it failed whole.
                throw WriteFailure.nothingRecorded(cause: error)
            }
        }
        guard let result else { throw WriteFailure.nothingRecorded(cause: StoreError.referenceTaken) }

        switch result {
        case .existing(let crisis):
            logger.info("repeated intake answered from the store", metadata: ["crisis_ref": "\(crisis.reference)"])
            return await receipt(crisis, created: false, config: config)
        case .created(let crisis):
            // Ids only: never the note, the requester's name or the people affected.
            var metadata: Logger.Metadata = [
                "crisis_ref": "\(crisis.reference)", "category": "\(crisis.category.rawValue)", "step": "1",
                "paged": "\(crisis.assigned.joined(separator: ","))", "drill": "\(crisis.drill)",
            ]
            // Every crisis has its "received" entry; one with no one on duty has a critical one besides.
            logger.notice("crisis received", metadata: metadata.event(.crisisReceived))
            if plan.routing.noOneOnDuty {
                metadata["unstaffed"] = "\(plan.routing.unstaffedRotations.joined(separator: ","))"
                logger.critical(
                    "crisis received with no one on duty: paging every member", metadata: metadata.event(.noOneOnDuty))
            }
            changed(CommittedChange(outbox: !allClaimed, deadlines: .added(recorded?.firstDeadline)))
            // The routing reasons are the draft's own journal entries: no read of what was just written.
            return await receipt(crisis, created: true, config: config, journal: recorded?.journal)
        }
    }

    private func receipt(
        _ crisis: CrisisView, created: Bool, config: Config, journal written: [JournalEntry]? = nil
    ) async -> IntakeReceipt {
        let journal: [JournalEntry]?
        if let written {
            journal = written
        } else {
            journal = try? await store.journal(reference: crisis.reference, since: nil, limit: 10_000)
        }
        let routed = Dictionary(
            journal?.filter { $0.kind == .crisisRouted }
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

    public func acknowledge(_ reference: CrisisReference, by person: String?, actor: String) async throws -> AckReceipt?
    {
        if let person, currentConfig.person(person) == nil {
            throw FieldError(
                field: "by",
                "unknown person \"\(person)\" (the people in the config: \(currentConfig.people.map(\.id).joined(separator: ", ")))"
            )
        }
        let by = person ?? actor
        let now = clock.now
        let acknowledged = try await transaction {
            try await store.acknowledge(reference, by: by, actor: actor, at: now)
        }
        guard let receipt = acknowledged else { return nil }
        if !receipt.alreadyAcknowledged {
            // Pages claimed with the crisis may still wait in memory for a place: they stop too.
            await claimedPages?.withdraw(reference, kinds: AcknowledgementRules.stoppedPages)
            changed(.any)
            await measure(receipt)
            logger.notice(
                "crisis acknowledged",
                metadata: .event(
                    .acknowledged,
                    [
                        "crisis_ref": "\(reference)", "by": "\(by)", "cancelled_pages": "\(receipt.cancelledPages)",
                    ]))
        }
        return receipt
    }

    /// The time to acknowledge, and the clocks the acknowledgement ended, for the metrics: the
    /// store journals those right after the acknowledgement itself. A failed read costs only the metrics.
    private func measure(_ receipt: AckReceipt) async {
        if let crisis = try? await store.crisis(receipt.reference) {
            metrics.acknowledged(after: receipt.acknowledgedAt.timeIntervalSince(crisis.receivedAt))
        }
        guard
            let journal = try? await store.journal(
                reference: receipt.reference, since: receipt.acknowledgedAt - 1, limit: 100),
            let acknowledgement = journal.firstIndex(where: { $0.kind == .crisisAcknowledged })
        else { return }
        for entry in journal[(acknowledgement + 1)...].prefix(while: { $0.kind == .clockEnded }) {
            metrics.clockEnded(entry)
        }
    }

    public func record(_ reference: CrisisReference, _ request: MilestoneRequest, actor: String) async throws
        -> CrisisView?
    {
        let config = currentConfig
        let now = clock.now
        guard let text = request.milestone else {
            throw FieldError(field: "milestone", "is required (one of \(Milestone.Kind.allNames))")
        }
        guard let kind = Milestone.Kind(rawValue: text) else {
            throw FieldError(field: "milestone", "\"\(text)\" is not one of \(Milestone.Kind.allNames)")
        }
        if let by = request.by, config.person(by) == nil {
            throw FieldError(field: "by", "unknown person \"\(by)\"")
        }
        if let to = request.to {
            guard let person = config.person(to) else { throw FieldError(field: "to", "unknown person \"\(to)\"") }
            guard person.roles.contains("crisis") else {
                throw FieldError(
                    field: "to", "\"\(to)\" is not a crisis psychologist (roles = [\"crisis\"] in the config)")
            }
        }
        var clock: ClockKind?
        if let name = request.clock {
            guard let parsed = ClockKind(rawValue: name) else {
                throw FieldError(field: "clock", "\"\(name)\" is not a clock name (\(ClockKind.rule))")
            }
            clock = parsed
        }
        let milestone = Milestone(
            kind: kind, at: request.at ?? now, by: request.by ?? actor, to: request.to, reason: request.reason,
            outcome: request.outcome, clock: clock)
        let recorderRoles = Set(config.person(milestone.by)?.roles ?? [])
        let update = try await transaction {
            try await store.update(reference, at: now) { crisis, recorded in
                let effect = try MilestoneRules.apply(
                    milestone, to: crisis, recorded: recorded, rules: config.clocks, recorderRoles: recorderRoles,
                    now: now)
                var after = crisis
                after.clocks = effect.clocks
                after.resolved = effect.resolves
                let journal = MilestoneRules.journal(milestone, crisis, after, actor: actor, at: now)
                return CrisisUpdate(snapshot: after, milestone: milestone, journal: journal)
            }
        }
        guard let update else { return nil }
        changed(.any)
        logger.notice("milestone recorded", metadata: ["crisis_ref": "\(reference)", "milestone": "\(kind.rawValue)"])
        logClocksEnded(update.journal)
        return try await afterCommit(
            "the milestone \(kind.rawValue) for \(reference) was recorded, but reading the crisis back failed",
            check: "crisisctl status \(reference)"
        ) { try await store.crisis(reference)?.redacted }
    }

    /// A clock a milestone met or waived. Not the waiver's reason: it is free text.
    private func logClocksEnded(_ journal: [JournalEntry]) {
        for entry in journal where entry.kind == .clockEnded {
            metrics.clockEnded(entry)
            var metadata: Logger.Metadata = ["crisis_ref": "\(entry.reference.map { "\($0)" } ?? "")"]
            for key in ["clock", "outcome", "by", "due_at", "ended_at"] {
                if let value = entry.data[key] { metadata[key] = "\(value)" }
            }
            logger.notice(
                "a response clock was \(entry.data["outcome"] ?? "ended")", metadata: metadata.event(.clockMetOrWaived))
        }
    }

    public func crisis(_ reference: CrisisReference) async throws -> CrisisView? {
        try await store.crisis(reference)?.redacted
    }

    public func ackLink(_ token: String) async throws -> AckLinkPage? {
        // Anything that cannot be a token is refused before the store is asked.
        guard SecretToken.isWellFormed(token),
            let link = try await store.ackLink(tokenSHA256: SecretToken.sha256(token)),
            let crisis = try await store.crisis(link.reference)
        else { return nil }
        let now = clock.now
        guard link.isValid(at: now, resolved: crisis.status == .resolved) else { return nil }
        let config = currentConfig
        return AckLinkPage(
            crisis: crisis.redacted, person: link.person, personName: config.person(link.person)?.name ?? link.person,
            dispatchable: config.people.filter { $0.roles.contains("crisis") }.map { .init(id: $0.id, name: $0.name) },
            acknowledgedByName: crisis.acknowledgedBy.flatMap { config.person($0)?.name }, timeZone: config.timeZone,
            now: now)
    }

    public func source(of reference: CrisisReference) async throws -> String? {
        try await store.source(of: reference)
    }

    public func openCrises() async throws -> [CrisisView] {
        try await store.openCrises().map(\.redacted)
    }

    public func latestPagedCrisis(for person: String, named reference: CrisisReference?) async throws -> CrisisView? {
        let paged = try await store.openCrises().filter { crisis in
            crisis.status != .resolved
                && (crisis.assigned.contains(person) || crisis.pages.contains { $0.person == person })
                && (reference == nil || crisis.reference == reference)
        }
        return paged.max { $0.receivedAt < $1.receivedAt }?.redacted
    }

    public func twilioSetup() async -> TwilioSetup {
        let config = currentConfig
        var voice: [String] = []
        var sms: [String: String] = [:]
        var inbound: [String: GenericSMSInbound] = [:]
        for channel in config.channels {
            switch channel.kind {
            case .voice(let account): voice.append(account.authToken)
            case .sms(.twilio(_, _, let authToken, _)): sms[channel.id] = authToken
            case .sms(.generic(_, let replies?)): inbound[channel.id] = replies
            default: break
            }
        }
        return TwilioSetup(
            publicURL: config.http.publicURL, voiceAuthTokens: voice, smsAuthTokens: sms, genericSMSInbound: inbound,
            phones: config.people.map { .init(person: $0.id, name: $0.name, digits: TwilioSetup.digits($0.phone)) },
            timeZone: config.timeZone)
    }

    public func journal(reference: CrisisReference?, since: Date?) async throws -> [JournalEntry] {
        try await store.journal(reference: reference, since: since, limit: 10_000).map(\.redacted)
    }

    public func onCall(at instant: Date?) async -> OnCallView {
        OnCallView(rota: config.rota, at: instant ?? clock.now)
    }

    // MARK: - The rota

    public func overrides() async throws -> [RotaOverride] {
        try await store.overrides()
    }

    public func addOverride(_ request: OverrideRequest, actor: String) async throws -> RotaOverride {
        let (config, rota) = self.config.snapshot
        let target = try request.validated(rota: rota, timeZone: config.timeZone, now: clock.now)
        let now = clock.now
        let override = try await transaction {
            try await store.addOverride(
                target: target.target, person: target.person, from: target.from, to: target.to, by: actor, at: now)
        }
        try await afterCommit(
            "cover \(override.id) was recorded, but the rota in force could not take it up: it applies from the next "
                + "cover change or restart",
            check: "crisisctl rota overrides"
        ) { self.config.replace(overrides: try await store.overrides()) }
        changed(.any)
        logger.notice(
            "rota cover added",
            metadata: ["id": "\(override.id)", "target": "\(override.target)", "person": "\(override.person)"])
        return override
    }

    public func removeOverride(_ id: String, actor: String) async throws -> RotaOverride? {
        let now = clock.now
        let removal = try await transaction { try await store.removeOverride(id: id, by: actor, at: now) }
        guard let removed = removal else { return nil }
        try await afterCommit(
            "cover \(id) was removed, but the rota in force could not drop it: it still applies until the next "
                + "cover change or restart",
            check: "crisisctl rota overrides"
        ) { self.config.replace(overrides: try await store.overrides()) }
        changed(.any)
        logger.notice("rota cover removed", metadata: ["id": "\(id)", "target": "\(removed.target)"])
        return removed
    }

    public func rota(from: Date, to: Date, person: String?) async -> [Duty] {
        Self.shifts(config.rota, from: from, to: to, person: person)
    }

    public func calendar(person: String?) async -> String {
        RotaCalendar.feed(rota: config.rota, person: person, now: clock.now)
    }

    public func calendarToken(_ token: String, opens person: String) async -> Bool {
        guard let expected = currentConfig.person(person)?.calendarTokenSHA256 else { return false }
        return Access.token(token, matches: expected)
    }

    /// Every rotation's and schedule's stretches in the range, optionally one person's only.
    static func shifts(_ rota: Rota, from: Date, to: Date, person: String?) -> [Duty] {
        rota.targets.flatMap { rota.timeline($0, from: from, to: to) }
            .filter { person == nil || $0.person == person }
            .sorted { ($0.start, $0.target) < ($1.start, $1.target) }
    }

    public func health() async -> HealthView {
        let verdict = await assessHealth()
        if verdict.problems.contains(where: { $0.check == .store }) {
            logger.error(
                "health check: the database cannot be read",
                metadata: .event(.storeWriteFailing, ["error": "\(verdict.summary)"]))
        }
        return HealthView(verdict, version: status().version)
    }

    public func daemonStatus() async -> DaemonStatus {
        status()
    }

    // MARK: - The ops board

    public func board() async throws -> OpsBoard {
        let now = clock.now
        let crises = try await store.openCrises().map(\.redacted)
        let journal = try await store.journal(reference: nil, since: now - OpsBoard.journalWindow, limit: 10_000)
        return OpsBoard(crises: crises, journal: journal, rota: config.rota, now: now)
    }

    public func boardLink(validFor: TimeInterval) async throws -> BoardLink {
        let expires = clock.now + validFor
        let query = BoardLinkSignature(key: try boardKey.bytes()).query(expires: expires)
        let base =
            currentConfig.http.publicURL.hasSuffix("/")
            ? String(currentConfig.http.publicURL.dropLast()) : currentConfig.http.publicURL
        logger.notice("ops board link made", metadata: ["expires_at": "\(expires.formatted(.iso8601))"])
        return BoardLink(url: "\(base)/board?\(query)", expiresAt: expires)
    }

    public func boardLinkOpens(expires: String?, signature: String?) async -> Bool {
        do {
            return BoardLinkSignature(key: try boardKey.bytes()).opens(
                expires: expires, signature: signature, now: clock.now)
        } catch {
            logger.error("ops board link cannot be checked", metadata: ["error": "\(error)"])
            return false
        }
    }

    // MARK: - Failures before and after a commit

    /// Runs a write's one transaction: a failure in it rolled everything back. A refusal of the
    /// caller's input (a milestone out of order) stays the 400 it is.
    private func transaction<T>(_ write: () async throws -> T) async throws -> T {
        do {
            return try await write()
        } catch let refusal as FieldError {
            throw refusal
        } catch {
            throw WriteFailure.nothingRecorded(cause: error)
        }
    }

    /// Runs what follows a commit: its failure must not be answered as if nothing was recorded.
    /// - Parameters:
    ///   - what: what was kept and what failed, for the answer.
    ///   - check: the command that shows what was kept.
    private func afterCommit<T>(_ what: String, check: String, _ step: () async throws -> T) async throws -> T {
        do {
            return try await step()
        } catch {
            throw WriteFailure.recordedThenFailed(what: what, check: check, cause: error)
        }
    }
}
