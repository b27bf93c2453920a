import CrisisCore
import CrisisStorage
import Foundation

/// The changes the core decides: acknowledgements, engine decisions and milestones, and the
/// deadlines they move.
extension InMemoryCrisisStore {
    /// The first acknowledgement stands: it ends the ack clock and cancels crisis pages still
    /// waiting. Nil for an unknown reference.
    public func acknowledge(_ reference: CrisisReference, by person: String, actor: String, at now: Date) async throws
        -> AckReceipt?
    {
        try write { state in state.acknowledge(reference, by: person, actor: actor, at: now) }
    }

    /// Reads a crisis, lets `decide` work out what changes, and applies it under the same lock.
    public func update(
        _ reference: CrisisReference, at now: Date,
        _ decide: @escaping @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) async throws -> CrisisUpdate? {
        try write { state in
            guard let index = state.index(of: reference) else { return nil }
            return try state.update(index, at: now, decide)
        }
    }

    /// Decides every crisis whose next deadline is due, earliest first, at most `limit`, in one write;
    /// one that cannot be decided is reported and left as it was.
    public func decideDue(
        at now: Date, limit: Int, claiming claim: ImmediateClaim?,
        _ decide: @escaping @Sendable (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) async throws -> DueDecisions {
        let decisions = try write { state in
            let due = state.dueCrises(at: now, limit: limit)
            var decisions = DueDecisions()
            decisions.examined = due.count
            for index in due {
                // A crisis that cannot be decided stays as it was; the others still commit.
                do {
                    let pagesBefore = state.pages.count
                    if let update = try state.update(index, at: now, decide) {
                        decisions.updates.append(update)
                        // The update's pages are the last it queued, in order.
                        let ids = (pagesBefore..<state.pages.count).map { Int64($0 + 1) }
                        if let claim {
                            decisions.claimed += state.claimAtOnce(update.pages, ids: ids, claim, at: now)
                        }
                    }
                } catch {
                    decisions.undecided.append((reference: state.crises[index].reference.rawValue, reason: "\(error)"))
                }
            }
            decisions.nextDeadline = state.crises.compactMap(\.nextDeadline).min()
            return decisions
        }
        if let claim, !decisions.claimed.isEmpty { claim.handOver(decisions.claimed) }
        return decisions
    }

    public func nextDeadline() async throws -> Date? {
        try read { state in state.crises.compactMap(\.nextDeadline).min() }
    }

    public func append(_ entries: [JournalEntry]) async throws {
        try write { state in state.append(entries) }
    }
}

extension InMemoryCrisisStore.State {
    /// Applies what `AcknowledgementRules` decides, as the SQLite store does.
    mutating func acknowledge(_ reference: CrisisReference, by person: String, actor: String, at now: Date)
        -> AckReceipt?
    {
        guard let index = index(of: reference) else { return nil }
        let before = snapshot(index)
        guard let effect = AcknowledgementRules.apply(before, by: person, actor: actor, at: now) else {
            return AckReceipt(
                reference: reference, acknowledgedAt: before.acknowledgedAt!,
                acknowledgedBy: before.acknowledgedBy ?? "", alreadyAcknowledged: true, cancelledPages: 0)
        }
        crises[index].status = .acknowledged
        crises[index].acknowledgedAt = now
        crises[index].acknowledgedBy = person
        crises[index].progress = effect.snapshot.progress
        writeClocks(effect.snapshot.clocks, before: before.clocks, to: index)
        var entries = effect.journal
        for id in crises[index].pageIDs
        where pages[Int(id) - 1].status == .held
            && AcknowledgementRules.releasedPages.contains(pages[Int(id) - 1].kind)
        {
            pages[Int(id) - 1].status = .pending
            pages[Int(id) - 1].nextAttemptAt = now
            let page = pages[Int(id) - 1]
            entries.append(
                JournalEntry(
                    at: now, reference: reference, kind: .pageQueued, actor: "crisisd",
                    data: [
                        "page": "\(id)", "person": page.person, "channel": page.channel, "step": "0",
                        "kind": page.kind.rawValue, "reason": "acknowledged",
                    ]))
        }
        var cancelled = 0
        for id in crises[index].pageIDs
        where pages[Int(id) - 1].status == .pending
            && AcknowledgementRules.stoppedPages.contains(pages[Int(id) - 1].kind)
        {
            pages[Int(id) - 1].status = .cancelled
            pages[Int(id) - 1].nextAttemptAt = nil
            cancelled += 1
            let page = pages[Int(id) - 1]
            entries.append(
                JournalEntry(
                    at: now, reference: reference, kind: .pageCancelled, actor: actor,
                    data: ["page": "\(id)", "person": page.person, "channel": page.channel, "reason": "acknowledged"]))
        }
        append(entries)
        storeNextDeadline(index, of: effect.snapshot)
        return AckReceipt(
            reference: reference, acknowledgedAt: now, acknowledgedBy: person, alreadyAcknowledged: false,
            cancelledPages: cancelled)
    }

    mutating func update(
        _ index: Int, at now: Date, _ decide: (CrisisSnapshot, [Milestone.Kind]) throws -> CrisisUpdate?
    ) throws -> CrisisUpdate? {
        let before = snapshot(index)
        let recorded = view(index).milestones.map(\.kind)
        guard let update = try decide(before, recorded) else {
            // Nothing to decide: a stored deadline that says otherwise is stale; mend it.
            storeNextDeadline(index, of: before)
            return nil
        }
        apply(update, to: index, before: before, at: now)
        storeNextDeadline(index, of: update.snapshot)
        return update
    }

    private mutating func apply(_ update: CrisisUpdate, to index: Int, before: CrisisSnapshot, at now: Date) {
        let after = update.snapshot
        crises[index].progress = after.progress
        if after.resolved && !before.resolved {
            crises[index].status = .resolved
            crises[index].resolvedAt = update.milestone?.at ?? now
            crises[index].progress.nextAt = nil
        }
        writeClocks(after.clocks, before: before.clocks, to: index)
        if let milestone = update.milestone {
            crises[index].milestones.append(InMemoryCrisisStore.StoredMilestone(milestone: milestone, recordedAt: now))
            if let outcome = milestone.outcome { crises[index].outcome = outcome }
        }
        queue(update.pages, crisis: index, at: now)
        append(update.journal)
    }

    /// A clock ends exactly once: only clocks still running take the decided values. A clock a
    /// milestone started is added.
    private mutating func writeClocks(_ clocks: [ResponseClock], before: [ResponseClock], to index: Int) {
        for clock in clocks where !before.contains(where: { $0.kind == clock.kind }) {
            crises[index].clocks.append(clock)
        }
        for clock in clocks where clock != before.first(where: { $0.kind == clock.kind }) {
            guard let stored = crises[index].clocks.firstIndex(where: { $0.kind == clock.kind && $0.isRunning })
            else { continue }
            crises[index].clocks[stored].warnedAt = clock.warnedAt
            crises[index].clocks[stored].outcome = clock.outcome
            crises[index].clocks[stored].endedAt = clock.endedAt
            crises[index].clocks[stored].endedBy = clock.endedBy
            crises[index].clocks[stored].reason = clock.reason
        }
    }
}
