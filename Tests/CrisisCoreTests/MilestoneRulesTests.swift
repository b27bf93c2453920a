import CrisisCore
import Foundation
import Testing

// A manual clock: every instant is t0 plus whole seconds. Nothing here reads the real clock.
private let t0 = utc("2026-11-23T14:00:00Z")
private let reference = CrisisReference(parsing: "CR-7K4P")!
private let policy = EscalationPolicy(steps: [.init(targets: [.rotation("chiefs")], wait: 300)])

/// A crisis received at t0 with the contract clocks (contact due t0+3600, on site due t0+14400),
/// acknowledged at t0+120 unless told otherwise.
private func received(
    acknowledged: Bool = true, group: Bool = false, clocks: ClockPolicy = ClockPolicy()
) -> CrisisSnapshot {
    var crisis = CrisisSnapshot(
        reference: reference, receivedAt: t0, assigned: ["anna"],
        progress: .start(policy: policy, at: t0),
        clocks: clocks.startClocks(firstContact: t0, group: group))
    if acknowledged {
        crisis.acknowledgedAt = t0 + 120
        crisis.acknowledgedBy = "anna"
        crisis.progress.nextAt = nil
        crisis = ending("ack", of: crisis, as: .met, at: t0 + 120)
    }
    return crisis
}

private func clock(_ kind: ClockKind, in clocks: [ResponseClock]) -> ResponseClock? {
    clocks.first { $0.kind == kind }
}

/// The error `apply` throws, or nil when it accepts the milestone.
private func rejection(
    _ milestone: Milestone, to crisis: CrisisSnapshot, recorded: [Milestone.Kind] = [], now: Date
) -> FieldError? {
    do {
        _ = try MilestoneRules.apply(milestone, to: crisis, recorded: recorded, rules: ClockPolicy(), now: now)
        return nil
    } catch {
        return error
    }
}

struct MilestoneRulesTests {
    // MARK: - contacted

    @Test func contactedMeetsTheContactClockAtTheTimeOfTheCallNotWhenItWasLogged() throws {
        let crisis = received()
        let call = Milestone(kind: .contacted, at: t0 + 1500, by: "bo")
        let effect = try MilestoneRules.apply(call, to: crisis, recorded: [], rules: ClockPolicy(), now: t0 + 2000)

        let contact = try #require(clock("contact", in: effect.clocks))
        #expect(contact.outcome == .met)
        #expect(contact.endedAt == t0 + 1500)
        #expect(contact.endedBy == "bo")
        #expect(effect.resolves == false)
        // The other clocks are left as they were.
        #expect(clock("ack", in: effect.clocks) == clock("ack", in: crisis.clocks))
        #expect(clock("onsite", in: effect.clocks) == clock("onsite", in: crisis.clocks))
    }

    @Test func contactedExactlyAtTheDeadlineMeetsTheClock() throws {
        let call = Milestone(kind: .contacted, at: t0 + 3600, by: "bo")
        let effect = try MilestoneRules.apply(call, to: received(), recorded: [], rules: ClockPolicy(), now: t0 + 3600)
        let contact = try #require(clock("contact", in: effect.clocks))
        #expect(contact.outcome == .met)
        #expect(contact.endedAt == t0 + 3600)
    }

    @Test func contactedAfterTheDeadlineRecordsTheClockBreachedAtTheDeadline() throws {
        // The engine has not run yet: the clock is still running when the late call is logged.
        let call = Milestone(kind: .contacted, at: t0 + 3700, by: "bo")
        let effect = try MilestoneRules.apply(call, to: received(), recorded: [], rules: ClockPolicy(), now: t0 + 3800)
        let contact = try #require(clock("contact", in: effect.clocks))
        #expect(contact.outcome == .breached)
        #expect(contact.endedAt == t0 + 3600)
    }

    @Test func contactedTwiceIsAnErrorOnTheMilestone() throws {
        let crisis = ending("contact", of: received(), as: .met, at: t0 + 1500)
        let error = try #require(
            rejection(
                Milestone(kind: .contacted, at: t0 + 1600, by: "bo"), to: crisis, recorded: [.contacted], now: t0 + 1700
            ))
        #expect(error.field == "milestone")
        #expect(error.message.contains("already recorded"))
    }

    @Test func aClockTheEngineAlreadyBreachedStaysBreachedWhenContactedArrives() throws {
        // The call happened before the deadline but was logged after the engine breached the clock.
        let breached = Escalator.evaluate(received(), policy: policy, now: t0 + 3600).snapshot
        let before = try #require(clock("contact", in: breached.clocks))
        #expect(before.outcome == .breached)

        let call = Milestone(kind: .contacted, at: t0 + 3000, by: "bo")
        let effect = try MilestoneRules.apply(call, to: breached, recorded: [], rules: ClockPolicy(), now: t0 + 4000)
        #expect(clock("contact", in: effect.clocks) == before)
    }

    @Test func aGroupCrisisWithoutAContactClockCanStillRecordContacted() throws {
        let crisis = received(group: true, clocks: ClockPolicy(contactAppliesToGroups: false))
        #expect(clock("contact", in: crisis.clocks) == nil)

        let effect = try MilestoneRules.apply(
            Milestone(kind: .contacted, at: t0 + 1500, by: "bo"), to: crisis, recorded: [], rules: ClockPolicy(),
            now: t0 + 1600)
        #expect(effect.clocks == crisis.clocks)
        #expect(effect.resolves == false)
    }

    // MARK: - dispatched and onsite

    @Test func onsiteBeforeDispatchedIsAnError() throws {
        let error = try #require(
            rejection(Milestone(kind: .onsite, at: t0 + 5000, by: "carl"), to: received(), recorded: [], now: t0 + 5000)
        )
        #expect(error.field == "milestone")
        #expect(error.message.contains("dispatched"))
    }

    @Test func onsiteAfterDispatchedMeetsTheOnSiteClock() throws {
        let effect = try MilestoneRules.apply(
            Milestone(kind: .onsite, at: t0 + 9000, by: "carl"), to: received(), recorded: [.dispatched],
            rules: ClockPolicy(), now: t0 + 9100
        )
        let onsite = try #require(clock("onsite", in: effect.clocks))
        #expect(onsite.outcome == .met)
        #expect(onsite.endedAt == t0 + 9000)
        #expect(onsite.endedBy == "carl")
    }

    @Test(arguments: [nil, ""] as [String?])
    func dispatchedWithoutAPsychologistSentIsAnErrorOnTo(to: String?) throws {
        let dispatched = Milestone(kind: .dispatched, at: t0 + 1000, by: "chief", to: to)
        let error = try #require(rejection(dispatched, to: received(), now: t0 + 1000))
        #expect(error.field == "to")
    }

    @Test func dispatchedLeavesTheClocksAlone() throws {
        let crisis = received()
        let dispatched = Milestone(kind: .dispatched, at: t0 + 1000, by: "chief", to: "carl")
        let effect = try MilestoneRules.apply(
            dispatched, to: crisis, recorded: [], rules: ClockPolicy(), now: t0 + 1000)
        #expect(effect.clocks == crisis.clocks)
        #expect(effect.resolves == false)
    }

    // MARK: - waive-onsite

    @Test(arguments: [nil, "", "   \n"] as [String?])
    func waivingOnSiteHelpWithoutAReasonIsAnErrorOnReason(reason: String?) throws {
        let waive = Milestone(kind: .waiveOnsite, at: t0 + 1000, by: "chief", reason: reason)
        let error = try #require(rejection(waive, to: received(), now: t0 + 1000))
        #expect(error.field == "reason")
    }

    @Test func waivingOnSiteHelpEndsTheClockAsWaivedWithTheReasonAndWho() throws {
        let waive = Milestone(kind: .waiveOnsite, at: t0 + 1000, by: "chief", reason: "handled by phone")
        let effect = try MilestoneRules.apply(waive, to: received(), recorded: [], rules: ClockPolicy(), now: t0 + 1100)
        let onsite = try #require(clock("onsite", in: effect.clocks))
        #expect(onsite.outcome == .waived)
        #expect(onsite.reason == "handled by phone")
        #expect(onsite.endedBy == "chief")
        #expect(onsite.endedAt == t0 + 1000)
        #expect(clock("contact", in: effect.clocks)?.isRunning == true)
    }

    @Test func waivingOnSiteHelpAfterThePsychologistArrivedIsAnError() throws {
        let crisis = ending("onsite", of: received(), as: .met, at: t0 + 9000, by: "carl")
        let waive = Milestone(kind: .waiveOnsite, at: t0 + 9500, by: "chief", reason: "no longer needed")
        let error = try #require(rejection(waive, to: crisis, recorded: [.dispatched, .onsite], now: t0 + 9500))
        #expect(error.field == "milestone")
        #expect(error.message.contains("met"))
    }

    @Test func onsiteAfterTheOnSiteClockWasWaivedIsAnError() throws {
        let crisis = ending(
            "onsite", of: received(), as: .waived, at: t0 + 2000, by: "chief", reason: "handled by phone")
        let error = try #require(
            rejection(
                Milestone(kind: .onsite, at: t0 + 5000, by: "carl"), to: crisis, recorded: [.dispatched, .waiveOnsite],
                now: t0 + 5000))
        #expect(error.field == "milestone")
        #expect(error.message.contains("waived"))
    }

    @Test func dispatchedAfterTheOnSiteClockWasWaivedIsAnError() throws {
        let crisis = ending(
            "onsite", of: received(), as: .waived, at: t0 + 2000, by: "chief", reason: "handled by phone")
        let dispatched = Milestone(kind: .dispatched, at: t0 + 3000, by: "chief", to: "carl")
        let error = try #require(rejection(dispatched, to: crisis, recorded: [.waiveOnsite], now: t0 + 3000))
        #expect(error.field == "milestone")
        #expect(error.message.contains("waived"))
    }

    @Test func waivingOnSiteHelpAfterTheEngineBreachedTheClockIsAnError() throws {
        let breached = Escalator.evaluate(received(), policy: policy, now: t0 + 14_400).snapshot
        #expect(clock("onsite", in: breached.clocks)?.outcome == .breached)
        let waive = Milestone(kind: .waiveOnsite, at: t0 + 15_000, by: "chief", reason: "handled by phone")
        let error = try #require(rejection(waive, to: breached, now: t0 + 15_000))
        #expect(error.field == "milestone")
        #expect(error.message.contains("breached"))
    }

    @Test func aWaiverDatedAfterTheDeadlineDoesNotHideTheBreachWhenTheEngineHadNotRunYet() throws {
        // Same waiver as above, but the daemon was down at t0+14400, so the clock is still running.
        // The outcome must not depend on whether the engine got there first: never "waived".
        let waive = Milestone(kind: .waiveOnsite, at: t0 + 15_000, by: "chief", reason: "handled by phone")
        let outcome: (clock: ResponseClock?, error: FieldError?)
        do {
            let effect = try MilestoneRules.apply(
                waive, to: received(), recorded: [], rules: ClockPolicy(), now: t0 + 15_000)
            outcome = (clock("onsite", in: effect.clocks), nil)
        } catch {
            outcome = (nil, error)
        }
        let onsite = try #require(outcome.clock, "\(String(describing: outcome.error))")
        #expect(onsite.outcome == .breached)
        #expect(onsite.endedAt == t0 + 14_400)
    }

    // MARK: - resolved

    @Test func resolvingBeforeAcknowledgementIsAnError() throws {
        var crisis = received(acknowledged: false)
        crisis = ending("contact", of: crisis, as: .met, at: t0 + 1000)
        crisis = ending("onsite", of: crisis, as: .waived, at: t0 + 1000, reason: "handled by phone")
        let error = try #require(
            rejection(Milestone(kind: .resolved, at: t0 + 2000, by: "chief", outcome: "ok"), to: crisis, now: t0 + 2000)
        )
        #expect(error.field == "milestone")
        #expect(error.message.contains("acknowledge"))
    }

    @Test func resolvingWithTheContactClockRunningSaysToRecordContacted() throws {
        let error = try #require(
            rejection(
                Milestone(kind: .resolved, at: t0 + 2000, by: "chief", outcome: "ok"), to: received(), now: t0 + 2000))
        #expect(error.field == "milestone")
        #expect(error.message.contains("record contacted"))
    }

    @Test func resolvingWithTheOnSiteClockRunningSaysToRecordOnsiteOrWaiveIt() throws {
        let crisis = ending("contact", of: received(), as: .met, at: t0 + 1000)
        let error = try #require(
            rejection(Milestone(kind: .resolved, at: t0 + 2000, by: "chief", outcome: "ok"), to: crisis, now: t0 + 2000)
        )
        #expect(error.field == "milestone")
        #expect(error.message.contains("record onsite"))
        #expect(error.message.contains("waive-onsite"))
    }

    @Test(arguments: [ClockOutcome.met, .waived, .breached])
    func resolvingOnceTheContractClocksHaveEndedClosesTheCrisis(onsiteOutcome: ClockOutcome) throws {
        var crisis = ending("contact", of: received(), as: .breached, at: t0 + 3600)
        crisis = ending(
            "onsite", of: crisis, as: onsiteOutcome, at: t0 + 5000, reason: onsiteOutcome == .waived ? "by phone" : nil)
        let effect = try MilestoneRules.apply(
            Milestone(kind: .resolved, at: t0 + 6000, by: "chief", outcome: "ok"), to: crisis,
            recorded: [.contacted, .dispatched], rules: ClockPolicy(), now: t0 + 6000)
        #expect(effect.resolves)
        #expect(effect.clocks == crisis.clocks)
    }

    @Test(arguments: Milestone.Kind.allCases)
    func nothingCanBeRecordedAfterTheCrisisIsResolved(kind: Milestone.Kind) throws {
        var crisis = ending("contact", of: received(), as: .met, at: t0 + 1000)
        crisis = ending("onsite", of: crisis, as: .waived, at: t0 + 1000, reason: "handled by phone")
        crisis.resolved = true
        let milestone = Milestone(kind: kind, at: t0 + 3000, by: "chief", to: "carl", reason: "late", outcome: "ok")
        let error = try #require(
            rejection(milestone, to: crisis, recorded: [.contacted, .waiveOnsite, .resolved], now: t0 + 3000))
        #expect(error.field == "milestone")
        #expect(error.message.contains("resolved"))
    }

    // MARK: - at

    @Test(arguments: Milestone.Kind.allCases)
    func aMilestoneInTheFutureIsAnErrorOnAt(kind: Milestone.Kind) throws {
        let milestone = Milestone(kind: kind, at: t0 + 1001, by: "chief", to: "carl", reason: "by phone", outcome: "ok")
        let error = try #require(rejection(milestone, to: received(), recorded: [.dispatched], now: t0 + 1000))
        #expect(error.field == "at")
    }

    @Test(arguments: Milestone.Kind.allCases)
    func aMilestoneBeforeTheCrisisWasReceivedIsAnErrorOnAt(kind: Milestone.Kind) throws {
        let milestone = Milestone(kind: kind, at: t0 - 1, by: "chief", to: "carl", reason: "by phone", outcome: "ok")
        let error = try #require(rejection(milestone, to: received(), recorded: [.dispatched], now: t0 + 1000))
        #expect(error.field == "at")
    }

    @Test func aMilestoneAtTheInstantOfReceiptOrOfRecordingIsAccepted() throws {
        let atReceipt = Milestone(kind: .contacted, at: t0, by: "bo")
        #expect(rejection(atReceipt, to: received(), now: t0 + 1000) == nil)
        let atNow = Milestone(kind: .contacted, at: t0 + 1000, by: "bo")
        #expect(rejection(atNow, to: received(), now: t0 + 1000) == nil)
    }
}
