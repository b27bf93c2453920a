import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// How a crisis, its clocks, pages and milestones are read from rows, and pages queued as rows.
extension SQLiteCrisisStore {
    /// The crisis's row, or nil when there is none.
    static func crisisRow(_ db: Database, crisisID: Int64) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM crisis WHERE id = ?"), arguments: [crisisID])
    }

    static func view(_ db: Database, crisisID: Int64) throws -> CrisisView? {
        guard let row = try crisisRow(db, crisisID: crisisID) else { return nil }
        let pages = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM page WHERE crisis_id = ? ORDER BY id"), arguments: [crisisID]
        ).map { page in
            CrisisView.Page(
                id: page["id"], person: page["person"], channel: page["channel"], step: page["step"],
                status: page["status"],
                kind: page["kind"], attempts: page["attempts"], lastError: page["last_error"])
        }
        return try view(
            row, crisisID: crisisID, clocks: try clocks(db, crisisID: crisisID), pages: pages,
            milestones: try milestones(db, crisisID: crisisID))
    }

    /// A crisis just recorded from `draft`, as `view(_:crisisID:)` would read it back: its clocks
    /// in the order the read gives (`due_at`, then name), instants to the millisecond the
    /// database keeps, its pages as `queue` inserted them. The intake answers with it rather
    /// than reading back what it wrote: that read was two fifths of an intake's time on the
    /// writer, which a burst of intakes waits for.
    static func view(recorded draft: CrisisDraft, pages queued: [QueuedPage]) -> CrisisView {
        let clocks = draft.clocks.map(\.asStored).enumerated().sorted { a, b in
            (a.element.dueAt, a.element.kind.rawValue, a.offset) < (b.element.dueAt, b.element.kind.rawValue, b.offset)
        }.map(\.element)
        let pages = zip(draft.pages, queued).map { page, row in
            CrisisView.Page(
                id: row.id, person: page.person, channel: page.channel, step: page.step,
                status: (page.held ? PageStatus.held : PageStatus.pending).rawValue, kind: page.kind.rawValue,
                attempts: row.attempts, lastError: nil)
        }
        var progress = draft.progress
        progress.nextAt = progress.nextAt?.asStored
        let intake = draft.intake
        return CrisisView(
            reference: draft.reference, category: intake.category, site: intake.site, callback: intake.callback,
            requesterRole: intake.requesterRole, group: intake.group, people: intake.people, drill: intake.drill,
            receivedAt: draft.receivedAt.asStored, status: .open, acknowledgedAt: nil, acknowledgedBy: nil,
            assigned: draft.assigned, noOneOnDuty: draft.noOneOnDuty, clocks: clocks, pages: pages,
            escalation: progress, milestones: [])
    }

    /// The crisis as a page about it tells it: its row and `clocks`, without its pages and
    /// milestones, which no page shows. A pass claims pages for many crises in one transaction.
    static func pageView(_ db: Database, crisisID: Int64) throws -> CrisisView? {
        guard let row = try crisisRow(db, crisisID: crisisID) else { return nil }
        return try view(row, crisisID: crisisID, clocks: clocks(db, crisisID: crisisID), pages: [], milestones: [])
    }

    /// The same for a crisis a pass has just decided, without reading it again: `row` as read
    /// before the decision (what a page shows of it never changes), in the state it was decided into.
    static func pageView(_ row: Row, crisisID: Int64, decided snapshot: CrisisSnapshot) throws -> CrisisView {
        var view = try view(row, crisisID: crisisID, clocks: snapshot.clocks, pages: [], milestones: [])
        view.escalation = snapshot.progress
        view.acknowledgedAt = snapshot.acknowledgedAt
        view.acknowledgedBy = snapshot.acknowledgedBy
        if snapshot.resolved { view.status = .resolved }
        return view
    }

    private static func view(
        _ row: Row, crisisID: Int64, clocks: [ResponseClock], pages: [CrisisView.Page], milestones: [Milestone]
    ) throws -> CrisisView {
        CrisisView(
            reference: try row.reference("reference", in: "crisis", row: crisisID)!,
            category: try row.known("category", in: "crisis", row: crisisID), site: row["site"],
            callback: row["callback"],
            requesterRole: try row.known("requester_role", in: "crisis", row: crisisID), group: row["is_group"],
            people: row["people"], drill: row["drill"], receivedAt: row["received_at"],
            status: try row.known("status", in: "crisis", row: crisisID), acknowledgedAt: row["acknowledged_at"],
            acknowledgedBy: row["acknowledged_by"], assigned: decodeList(row["assigned"]),
            noOneOnDuty: row["no_one_on_duty"], clocks: clocks, pages: pages, escalation: progress(row),
            milestones: milestones)
    }

    /// A crisis's clocks, earliest first.
    static func clocks(_ db: Database, crisisID: Int64) throws -> [ResponseClock] {
        typealias Column = ClockColumn
        return try Row.fetchAll(db.cachedStatement(sql: ClockColumn.selectSQL), arguments: [crisisID]).map { clock in
            let id: Int64 = clock[Column.rowid.rawValue]
            let kind: ClockKind = try clock.known(at: Column.kind.rawValue, "kind", in: "clock", row: id)
            return ResponseClock(
                kind: kind, label: clock[Column.label.rawValue] ?? kind.rawValue,
                stop: try clock.known(at: Column.stops.rawValue, "stops", in: "clock", row: id),
                startedAt: clock[Column.startedAt.rawValue], dueAt: clock[Column.dueAt.rawValue],
                warnAt: clock[Column.warnAt.rawValue], warnedAt: clock[Column.warnedAt.rawValue],
                outcome: try clock.knownOrNil(at: Column.outcome.rawValue, "outcome", in: "clock", row: id),
                endedAt: clock[Column.endedAt.rawValue], endedBy: clock[Column.endedBy.rawValue],
                reason: clock[Column.reason.rawValue])
        }
    }

    /// A clock row's columns, read by position: GRDB finds a column by name by lowercasing every
    /// column name before it, for each value, and a crisis's clocks are read on every decision
    /// and every view (a tenth of a pass's time per crisis).
    enum ClockColumn: Int, CaseIterable {
        case rowid, kind, label, stops, startedAt, dueAt, warnAt, warnedAt, outcome, endedAt, endedBy, reason

        var name: String {
            switch self {
            case .startedAt: "started_at"
            case .dueAt: "due_at"
            case .warnAt: "warn_at"
            case .warnedAt: "warned_at"
            case .endedAt: "ended_at"
            case .endedBy: "ended_by"
            default: "\(self)"
            }
        }

        static let selectSQL =
            "SELECT \(allCases.map(\.name).joined(separator: ", ")) FROM clock WHERE crisis_id = ? ORDER BY due_at, kind"
    }

    static func progress(_ row: Row) -> EscalationProgress {
        EscalationProgress(
            step: row["escalation_step"], round: row["escalation_round"], nextAt: row["next_escalation_at"],
            exhausted: row["escalation_exhausted"])
    }

    static func milestones(_ db: Database, crisisID: Int64) throws -> [Milestone] {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM milestone WHERE crisis_id = ? ORDER BY at, id"),
            arguments: [crisisID])
        return try rows.map { row in
            Milestone(
                kind: try row.known("kind", in: "milestone", row: row["id"]), at: row["at"], by: row["by"],
                to: row["to_person"], reason: row["reason"],
                clock: try row.knownOrNil("clock", in: "milestone", row: row["id"]))
        }
    }

    /// A page row as `queue` inserted it.
    struct QueuedPage {
        var id: Int64
        var attempts: Int
    }

    /// Queues the pages; returns their rows' ids and attempts, in order. A page `claiming` takes
    /// goes in with its first attempt claimed (attempt 1, its retry instant): `claimAtOnce` then
    /// hands it out. With `ids` (`nextPageIDs`), the rows take those; otherwise SQLite's next.
    @discardableResult
    static func queue(
        _ db: Database, _ pages: [CrisisDraft.Page], crisisID: Int64, at now: Date,
        claiming claim: ImmediateClaim? = nil, ids: [Int64]? = nil
    ) throws -> [QueuedPage] {
        var queued: [QueuedPage] = []
        for (index, page) in pages.enumerated() {
            let (attempts, nextAttemptAt) = firstAttempt(page, at: now, claiming: claim)
            // A null id is SQLite's next.
            try db.cachedStatement(
                sql: """
                    INSERT INTO page (id, crisis_id, person, channel, step, kind, clock, status, attempts,
                        next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                ids?[index], crisisID, page.person, page.channel, page.step, page.kind.rawValue, page.clock?.rawValue,
                page.held ? PageStatus.held.rawValue : PageStatus.pending.rawValue, attempts, nextAttemptAt.stored,
                now.stored,
            ])
            queued.append(QueuedPage(id: ids?[index] ?? db.lastInsertedRowID, attempts: attempts))
        }
        return queued
    }

    /// A page's first attempt as `queue` writes it: attempt 1 and its retry instant when `claim`
    /// takes the page; otherwise none yet, due after the page's delay (never, while held).
    static func firstAttempt(
        _ page: CrisisDraft.Page, at now: Date, claiming claim: ImmediateClaim?
    ) -> (attempts: Int, nextAttemptAt: Date?) {
        if let claim, claim.claims(page),
            case .send(let attempt, let retryAt) = claim.retry.claim(attemptsMade: 0, now: now)
        {
            return (attempt, retryAt)
        }
        return (0, page.held ? nil : now + page.after)
    }

    /// The ids the next `count` page rows will have. The writer is the only one, so they are
    /// known before the rows are written, in the transaction that writes them.
    static func nextPageIDs(_ db: Database, count: Int) throws -> [Int64] {
        guard count > 0 else { return [] }
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) FROM page")) ?? 0
        return (1...Int64(count)).map { last + $0 }
    }

    static func encodeList(_ list: [String]) -> String {
        JSONText.array(list)
    }

    static func decodeList(_ text: String) -> [String] {
        JSONText.plainList(text) ?? (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    static func encodeMap(_ map: [String: String]) -> String {
        JSONText.object(map)
    }

    static func decodeMap(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
