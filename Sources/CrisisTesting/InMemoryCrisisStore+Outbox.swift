import CrisisCore
import CrisisStorage
import Foundation

/// The page outbox: pages are claimed one attempt at a time, and each attempt's outcome is
/// recorded when it comes back.
extension InMemoryCrisisStore {
    /// Claims due pages, earliest first, retries taking at most `retryLimit` of the `limit` places;
    /// a page whose attempts are spent is given up instead of sent.
    public func claimDuePages(
        at now: Date, retry: RetryPolicy, excluding inFlight: Set<Int64> = [], holding: Set<PageRecipient> = [],
        limit: Int, retryLimit: Int, ackLinksValidFor: TimeInterval? = nil
    ) async throws -> OutboxClaim {
        try write { state in
            state.claimDuePages(
                at: now, retry: retry, excluding: inFlight, holding: holding, limit: limit, retryLimit: retryLimit,
                ackLinksValidFor: ackLinksValidFor)
        }
    }

    public func ackLink(tokenSHA256: String) async throws -> AckLink? {
        try read { state in state.ackLinks[tokenSHA256] }
    }

    /// The earliest instant a pending page not in flight is due; without `retries`, only pages
    /// no attempt of which failed count.
    public func nextPageDue(
        excluding inFlight: Set<Int64> = [], holding: Set<PageRecipient> = [], retries: Bool = true
    ) async throws -> Date? {
        try read { state in
            state.pages.filter {
                $0.status == .pending && (retries || $0.lastError == nil) && !inFlight.contains($0.id)
                    && !$0.isHeld(by: holding)
            }
            .compactMap(\.nextAttemptAt).min()
        }
    }

    /// Records an attempt's outcome and what comes next. A page cancelled meanwhile stays cancelled.
    public func finishAttempt(
        _ page: OutboundPage, outcome: DeliveryOutcome, decision: RetryPolicy.Decision, at now: Date
    ) async throws {
        try write { state in state.finishAttempt(page, outcome: outcome, decision: decision, at: now) }
    }
}

extension InMemoryCrisisStore.State {
    mutating func claimDuePages(
        at now: Date, retry: RetryPolicy, excluding inFlight: Set<Int64>, holding: Set<PageRecipient>, limit: Int,
        retryLimit: Int, ackLinksValidFor: TimeInterval?
    ) -> OutboxClaim {
        var claim = OutboxClaim()
        var skipped = inFlight
        var retriesLeft = min(retryLimit, limit)
        while claim.pages.count < limit {
            let due = duePages(
                at: now, retries: retriesLeft > 0, excluding: skipped, holding: holding,
                limit: limit - claim.pages.count)
            if due.isEmpty { break }
            for id in due where claim.pages.count < limit {
                let attemptsMade = pages[Int(id) - 1].attempts
                let isRetry = pages[Int(id) - 1].lastError != nil
                skipped.insert(id)
                // Past the retries' share, the next look leaves retries out.
                if isRetry && retriesLeft == 0 { continue }
                var page = outboundPage(id)
                switch retry.claim(attemptsMade: attemptsMade, now: now) {
                case .send(let attempt, let retryAt):
                    page.attempt = attempt
                    page.isRetry = isRetry
                    recordAttempt(&page, retryAt: retryAt, at: now, ackLinksValidFor: ackLinksValidFor)
                    claim.pages.append(page)
                    if isRetry { retriesLeft -= 1 }
                case .giveUp(let reason):
                    page.attempt = attemptsMade
                    pages[Int(id) - 1].status = .failed
                    pages[Int(id) - 1].nextAttemptAt = nil
                    pages[Int(id) - 1].lastError = reason
                    append([AttemptRules.givenUp(page.attemptRef, reason: reason, at: now)])
                    claim.givenUp.append(GivenUpPage(page: page, reason: reason))
                }
            }
        }
        return claim
    }

    mutating func finishAttempt(
        _ page: OutboundPage, outcome: DeliveryOutcome, decision: RetryPolicy.Decision, at now: Date
    ) {
        let stored = pages.indices.contains(Int(page.id) - 1) ? Int(page.id) - 1 : nil
        // A page no longer there counts as cancelled: nothing is updated.
        let result = AttemptRules.finish(
            page.attemptRef, current: stored.map { pages[$0].status } ?? .cancelled, outcome: outcome,
            decision: decision, at: now)
        if let stored {
            pages[stored].status = result.status
            pages[stored].attempts = page.attempt
            pages[stored].nextAttemptAt = result.nextAttemptAt
            pages[stored].lastError = result.lastError
        }
        append(result.journal)
    }

    /// Due pending pages, earliest first; without `retries`, only pages no attempt of which failed.
    private func duePages(
        at now: Date, retries: Bool, excluding skipped: Set<Int64>, holding: Set<PageRecipient>, limit: Int
    ) -> [Int64] {
        pages.filter { page in
            guard page.status == .pending, let next = page.nextAttemptAt, next <= now else { return false }
            return (retries || page.lastError == nil) && !skipped.contains(page.id) && !page.isHeld(by: holding)
        }
        .sorted { a, b in a.nextAttemptAt! != b.nextAttemptAt! ? a.nextAttemptAt! < b.nextAttemptAt! : a.id < b.id }
        .prefix(limit: limit).map(\.id)
    }

    /// The page as the sender gets it, with the crisis as it stands and the next attempt's number.
    /// Claims the first attempt of the just-queued `pages` (with their `ids`) that `claim` takes.
    mutating func claimAtOnce(
        _ queued: [CrisisDraft.Page], ids: [Int64], _ claim: ImmediateClaim, at now: Date
    ) -> [OutboundPage] {
        var claimed: [OutboundPage] = []
        for (draftPage, id) in zip(queued, ids) where claim.claims(draftPage) {
            // A first attempt is never given up: `claim` always sends it.
            guard case .send(let attempt, let retryAt) = claim.retry.claim(attemptsMade: 0, now: now) else { continue }
            var page = outboundPage(id)
            page.attempt = attempt
            recordAttempt(
                &page, retryAt: retryAt, at: now, ackLinksValidFor: claim.ackLinksValidFor,
                token: claim.linkToken(for:))
            claimed.append(page)
        }
        return claimed
    }

    /// The attempt on record, with an acknowledgement link for it when asked.
    mutating func recordAttempt(
        _ page: inout OutboundPage, retryAt: Date, at now: Date, ackLinksValidFor: TimeInterval?,
        token: (OutboundPage) -> String = { _ in SecretToken.generate() }
    ) {
        pages[Int(page.id) - 1].attempts = page.attempt
        pages[Int(page.id) - 1].nextAttemptAt = retryAt
        append([AttemptRules.claimed(page.attemptRef, at: now)])
        // A requester's notice is not theirs to acknowledge with.
        if let validFor = ackLinksValidFor, !page.kind.isForRequester {
            let token = token(page)
            ackLinks[SecretToken.sha256(token)] = AckLink(
                reference: page.crisis.reference, person: page.person, issuedAt: now, expiresAt: now + validFor)
            page.ackToken = token
        }
    }

    func outboundPage(_ id: Int64) -> OutboundPage {
        let page = pages[Int(id) - 1]
        // As the SQLite store reads it: no page shows the crisis's pages and milestones.
        var crisis = view(page.crisis)
        crisis.pages = []
        crisis.milestones = []
        return OutboundPage(
            id: id, crisis: crisis, person: page.person, channel: page.channel, step: page.step,
            kind: page.kind, clock: page.clock, attempt: page.attempts + 1)
    }
}

extension InMemoryCrisisStore.StoredPage {
    /// Whether a rate limit holds it back: notices to a requester go to each crisis's own number.
    func isHeld(by holding: Set<PageRecipient>) -> Bool {
        !kind.isForRequester && holding.contains(PageRecipient(person: person, channel: channel))
    }
}
