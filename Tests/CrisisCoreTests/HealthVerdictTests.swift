import CrisisCore
import Foundation
import Testing

@Suite struct HealthVerdictTests {
    let now = utc("2026-03-02T10:00:00Z")

    @Test func anEngineThatRanRecentlyAndAStoreThatAnswersAreHealthy() {
        let verdict = HealthVerdict(.init(engineSilentFor: 1), now: now, stallAfter: 10)
        #expect(verdict.isHealthy)
        #expect(verdict.keepsWatchdog)
        #expect(verdict.problems.isEmpty && verdict.warnings.isEmpty)
    }

    @Test func anEngineSilentLongerThanItsIntervalStopsTheWatchdog() {
        let verdict = HealthVerdict(.init(engineSilentFor: 11), now: now, stallAfter: 10)
        #expect(!verdict.isHealthy)
        #expect(!verdict.keepsWatchdog)
        #expect(verdict.problems.map(\.check) == [.engine])
        #expect(verdict.summary.contains("no progress for 11s"))
    }

    @Test func anEngineBeforeItsFirstPassIsNotHealthy() {
        let verdict = HealthVerdict(.init(engineSilentFor: nil), now: now, stallAfter: 10)
        #expect(!verdict.keepsWatchdog)
        #expect(verdict.summary.contains("first pass"))
    }

    @Test func aStoreThatDoesNotAnswerStopsTheWatchdog() {
        let verdict = HealthVerdict(
            .init(engineSilentFor: 0, storeUnanswered: "no answer within 3s"), now: now, stallAfter: 10)
        #expect(verdict.problems.map(\.check) == [.store])
        #expect(!verdict.keepsWatchdog)
    }

    @Test func aFailingCommitIsUnhealthyButKeepsTheWatchdog() {
        let verdict = HealthVerdict(
            .init(engineSilentFor: 0, commitFailedAt: now - 30, commitFailure: "database or disk is full"), now: now,
            stallAfter: 10)
        #expect(!verdict.isHealthy)
        // A restart cannot free a disk: systemd is not asked for one.
        #expect(verdict.keepsWatchdog)
        #expect(verdict.problems.map(\.check) == [.commits])
        #expect(verdict.summary.contains("30s ago"))
        #expect(verdict.summary.contains("database or disk is full"))
    }

    @Test func aRefusedReloadIsAWarningOnly() {
        let verdict = HealthVerdict(.init(engineSilentFor: 0, reloadFailedAt: now - 600), now: now, stallAfter: 10)
        #expect(verdict.isHealthy)
        #expect(verdict.warnings.map(\.check) == [.reload])
        #expect(verdict.warnings[0].message.contains("10m ago"))
    }
}
