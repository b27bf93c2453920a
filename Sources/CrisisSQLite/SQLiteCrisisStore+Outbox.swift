import CrisisCore
import CrisisStorage
import Foundation
import GRDB

/// The page outbox: pages are claimed, one attempt at a time, before their requests go out, and
/// each attempt's outcome is recorded when it comes back.
extension SQLiteCrisisStore {
    /// Claims due pages for sending, in one transaction: each claimed page's attempt count goes up
    /// and its next attempt moves to the retry instant, before any request goes out. A process
    /// killed mid-request therefore retries the page at its backoff with the next attempt number,
    /// and never sends it more than `retry.maxAttempts` times in all.
    ///
    /// Earliest due first, but retries (pages an attempt of which failed) take at most
    /// `retryLimit` of the `limit` places: a backlog of failing pages cannot hold back a new one,
    /// and new pages do not starve retries. An attempt cut short by a crash makes no retry.
    public func claimDuePages(
        at now: Date, retry: RetryPolicy, excluding inFlight: Set<Int64> = [], holding: Set<PageRecipient> = [],
        limit: Int, retryLimit: Int, ackLinksValidFor: TimeInterval? = nil
    ) async throws -> OutboxClaim {
        try await writer.write { db in
            var claim = OutboxClaim()
            var skipped = inFlight
            var retriesLeft = min(retryLimit, limit)
            while claim.pages.count < limit {
                let rows = try Self.duePageRows(
                    db, at: now, retries: retriesLeft > 0, excluding: skipped, holding: holding,
                    limit: limit - claim.pages.count)
                if rows.isEmpty { break }
                for row in rows where claim.pages.count < limit {
                    let id: Int64 = row["id"]
                    let attemptsMade: Int = row["attempts"]
                    let isRetry: Bool = row["failed"]
                    skipped.insert(id)
                    // Past the retries' share, the next query leaves retries out.
                    if isRetry && retriesLeft == 0 { continue }
                    let read: OutboundPage?
                    do {
                        read = try Self.outboundPage(db, row)
                    } catch let unreadable as UnreadableValue {
                        // One bad row must not hold back every other crisis's pages.
                        try db.cachedStatement(sql: "UPDATE page SET next_attempt_at = ? WHERE id = ?").execute(
                            arguments: [(now + OutboxClaim.setAsideFor).stored, id])
                        claim.setAside.append(SetAsidePage(pageID: id, reason: unreadable.description))
                        continue
                    }
                    guard var page = read else { continue }
                    switch retry.claim(attemptsMade: attemptsMade, now: now) {
                    case .send(let attempt, let retryAt):
                        page.attempt = attempt
                        page.isRetry = isRetry
                        try Self.recordAttempt(db, page, retryAt: retryAt, at: now)
                        // A requester's notice is not theirs to acknowledge with.
                        if let validFor = ackLinksValidFor, !page.kind.isForRequester {
                            page.ackToken = try Self.issueAckLink(
                                db, crisisID: row["crisis_id"], page, at: now, validFor: validFor)
                        }
                        claim.pages.append(page)
                        if isRetry { retriesLeft -= 1 }
                    case .giveUp(let reason):
                        page.attempt = attemptsMade
                        try Self.giveUp(db, page, reason: reason, at: now)
                        claim.givenUp.append(GivenUpPage(page: page, reason: reason))
                    }
                }
            }
            return claim
        }
    }

    /// Claims the first attempt of the just-queued `pages` (with their `ids`) that `claim` takes,
    /// as `claimDuePages` would: attempt 1 and its retry instant on disk (written with the row, as
    /// `queue` was given the same claim), the claim journalled, a link issued.
    static func claimAtOnce(
        _ db: Database, _ pages: [CrisisDraft.Page], ids: [Int64], of crisis: CrisisView, crisisID: Int64,
        _ claim: ImmediateClaim, at now: Date
    ) throws -> [OutboundPage] {
        let claimed = claims(pages, ids: ids, of: crisis, claim, at: now)
        try issueAckLinks(db, claimed, crisisID: crisisID, at: now, validFor: claim.ackLinksValidFor)
        try append(db, claimed.map { AttemptRules.claimed($0.attemptRef, at: now) }, of: (crisis.reference, crisisID))
        return claimed
    }

    /// The first attempts `claim` takes of `pages` (with their rows' `ids`), each with its link's
    /// token (`ImmediateClaim.linkToken`): what their messages need, known before any row is
    /// written. `issueAckLinks` writes the links.
    static func claims(
        _ pages: [CrisisDraft.Page], ids: [Int64], of crisis: CrisisView, _ claim: ImmediateClaim, at now: Date
    ) -> [OutboundPage] {
        var claimed: [OutboundPage] = []
        for (page, id) in zip(pages, ids) where claim.claims(page) {
            // A first attempt is never given up: `claim` always sends it.
            guard case .send(let attempt, _) = claim.retry.claim(attemptsMade: 0, now: now) else { continue }
            var outbound = OutboundPage(
                id: id, crisis: crisis, person: page.person, channel: page.channel, step: page.step, kind: page.kind,
                clock: page.clock, attempt: attempt)
            // A requester's notice is not theirs to acknowledge with.
            if claim.ackLinksValidFor != nil, !page.kind.isForRequester {
                outbound.ackToken = claim.linkToken(for: outbound)
            }
            claimed.append(outbound)
        }
        return claimed
    }

    /// The links of the claimed pages that carry one: their hashes kept, valid for `validFor`.
    static func issueAckLinks(
        _ db: Database, _ claimed: [OutboundPage], crisisID: Int64, at now: Date, validFor: TimeInterval?
    ) throws {
        guard let validFor else { return }
        for page in claimed {
            guard let token = page.ackToken else { continue }
            _ = try issueAckLink(db, crisisID: crisisID, page, at: now, validFor: validFor, token: token)
        }
    }

    /// Gives `claim` the pages a write claimed, each marked with the status of that write, before
    /// it commits: their requests need not wait for the sync to disk.
    static func handOver(_ pages: [OutboundPage], to claim: ImmediateClaim?, claimedIn status: CommitStatus) {
        guard let claim, !pages.isEmpty else { return }
        claim.handOver(
            pages.map { page in
                var page = page
                page.claimedIn = status
                return page
            })
    }

    /// A new link for the page's crisis and person: the token goes out in the page, its hash stays.
    static func issueAckLink(
        _ db: Database, crisisID: Int64, _ page: OutboundPage, at now: Date, validFor: TimeInterval,
        token: String = SecretToken.generate()
    ) throws -> String {
        try db.cachedStatement(
            sql: "INSERT INTO ack_link (token_sha256, crisis_id, person, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)"
        ).execute(arguments: [
            SecretToken.sha256(token), crisisID, page.person, now.stored, (now + validFor).stored,
        ])
        return token
    }

    public func ackLink(tokenSHA256: String) async throws -> AckLink? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT crisis.reference, ack_link.person, ack_link.issued_at, ack_link.expires_at
                            FROM ack_link JOIN crisis ON crisis.id = ack_link.crisis_id WHERE token_sha256 = ?
                            """),
                    arguments: [tokenSHA256]),
                let reference = try row.reference("reference", in: "crisis", row: 0)
            else { return nil }
            return AckLink(
                reference: reference, person: row["person"], issuedAt: row["issued_at"], expiresAt: row["expires_at"])
        }
    }

    /// The earliest instant a pending page not in flight is due, if any: the sender sleeps until
    /// then. Without `retries`, only pages no attempt of which failed count.
    public func nextPageDue(
        excluding inFlight: Set<Int64> = [], holding: Set<PageRecipient> = [], retries: Bool = true
    ) async throws -> Date? {
        try await pool.read { db in
            let (held, heldArguments) = Self.notHeld(holding)
            return try Date.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT next_attempt_at FROM page
                        WHERE status = 'pending' \(retries ? "" : "AND last_error IS NULL")
                            AND id NOT IN \(Self.placeholders(inFlight))
                            \(held)
                        ORDER BY next_attempt_at LIMIT 1
                        """),
                arguments: StatementArguments(Array(inFlight)) + heldArguments)
        }
    }

    /// `AND NOT (…)`: leaves out pages to the held recipients, but for notices to a requester.
    static func notHeld(_ holding: Set<PageRecipient>) -> (sql: String, arguments: StatementArguments) {
        guard !holding.isEmpty else { return ("", []) }
        let requesterKinds = [PageMessage.Kind.receipt, .ackNotice].map(\.rawValue)
        let pairs = Array(repeating: "(?, ?)", count: holding.count).joined(separator: ", ")
        let sql = """
            AND NOT (kind NOT IN \(placeholders(requesterKinds)) AND (person, channel) IN (VALUES \(pairs)))
            """
        return (
            sql, StatementArguments(requesterKinds) + StatementArguments(holding.flatMap { [$0.person, $0.channel] })
        )
    }

    /// Records an attempt's outcome and what happens next. A page cancelled meanwhile stays cancelled.
    public func finishAttempt(
        _ page: OutboundPage, outcome: DeliveryOutcome, decision: RetryPolicy.Decision, at now: Date
    ) async throws {
        // The request is back and its attempt on disk: the outcome may wait a moment for an
        // intake's transaction rather than hold one up with a sync of its own.
        try await writer.write(mayWait: true) { db in
            // This write runs after the transaction that claimed the attempt, and a transaction
            // that failed is settled before the next begins. Nil: it committed and its sync is
            // under way; should that sync fail, this write fails with it.
            if page.claimedIn?.didCommit == false { throw StoreError.claimNotCommitted }
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT status, crisis_id FROM page WHERE id = ?"), arguments: [page.id])
            let status = (row?["status"] as String?).flatMap(PageStatus.init(rawValue:))
            // A page no longer there counts as cancelled: nothing is updated.
            let result = AttemptRules.finish(
                page.attemptRef, current: status ?? .cancelled, outcome: outcome, decision: decision, at: now)
            try db.cachedStatement(
                sql: "UPDATE page SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?"
            ).execute(arguments: [
                result.status.rawValue, page.attempt, result.nextAttemptAt.stored, result.lastError, page.id,
            ])
            // The page's row names its crisis: the journal need not look it up by reference.
            let crisisID = row?["crisis_id"] as Int64?
            try Self.append(db, result.journal, of: crisisID.map { (page.crisis.reference, $0) })
        }
    }

    /// Due pending pages, earliest first, each with whether it is a retry (`failed`); without
    /// `retries`, only pages no attempt of which failed.
    private static func duePageRows(
        _ db: Database, at now: Date, retries: Bool, excluding skipped: Set<Int64>, holding: Set<PageRecipient>,
        limit: Int
    ) throws -> [Row] {
        let (held, heldArguments) = notHeld(holding)
        return try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, crisis_id, person, channel, step, kind, clock, attempts, last_error IS NOT NULL AS failed
                    FROM page
                    WHERE status = 'pending' AND next_attempt_at <= ? \(retries ? "" : "AND last_error IS NULL")
                        AND id NOT IN \(placeholders(skipped)) \(held)
                    ORDER BY next_attempt_at, id LIMIT ?
                    """),
            arguments: [now.stored] + StatementArguments(Array(skipped)) + heldArguments + [limit])
    }

    private static func outboundPage(_ db: Database, _ row: Row) throws -> OutboundPage? {
        let crisisID: Int64 = row["crisis_id"]
        guard let crisis = try pageView(db, crisisID: crisisID) else { return nil }
        return OutboundPage(
            id: row["id"], crisis: crisis, person: row["person"], channel: row["channel"], step: row["step"],
            kind: PageMessage.Kind(rawValue: row["kind"]) ?? .crisis,
            clock: (row["clock"] as String?).flatMap(ClockKind.init(rawValue:)),
            attempt: (row["attempts"] as Int) + 1)
    }

    /// The attempt is on disk before its request goes out, with the instant to try again should
    /// no outcome ever be recorded.
    static func recordAttempt(_ db: Database, _ page: OutboundPage, retryAt: Date, at now: Date) throws {
        try db.cachedStatement(sql: "UPDATE page SET attempts = ?, next_attempt_at = ? WHERE id = ?").execute(
            arguments: [page.attempt, retryAt.stored, page.id])
        try append(db, [AttemptRules.claimed(page.attemptRef, at: now)])
    }

    private static func giveUp(_ db: Database, _ page: OutboundPage, reason: String, at now: Date) throws {
        try db.cachedStatement(
            sql: "UPDATE page SET status = 'failed', next_attempt_at = NULL, last_error = ? WHERE id = ?"
        ).execute(arguments: [reason, page.id])
        try append(db, [AttemptRules.givenUp(page.attemptRef, reason: reason, at: now)])
    }

    /// `(?, ?, …)` for an `IN` list, one per value; SQLite takes `()` for none.
    static func placeholders(_ values: some Collection) -> String {
        "(" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")"
    }
}
