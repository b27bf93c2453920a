import CrisisCore
import Foundation
import Testing

/// A storm of crises never floods one phone: a burst goes at once, then one message per interval.
struct RecipientRateLimitTests {
    let t0 = utc("2026-11-23T14:00:00Z")
    let anna = PageRecipient(person: "anna", channel: "sms")
    let annaPush = PageRecipient(person: "anna", channel: "push")

    /// Whether each message may go, at the instants given, in turn.
    func takes(_ limit: inout RecipientRateLimit, _ recipient: PageRecipient, at instants: [Date]) -> [Bool] {
        instants.map { limit.take(recipient, at: $0) }
    }

    @Test func aBurstGoesAtOnceThenOneMorePerInterval() {
        var limit = RecipientRateLimit(policy: .init(burst: 3, interval: 20))
        #expect(takes(&limit, anna, at: [t0, t0, t0, t0 + 1]) == [true, true, true, false])
        #expect(limit.held(at: t0 + 1) == [anna: t0 + 20])
        #expect(takes(&limit, anna, at: [t0 + 19, t0 + 20]) == [false, true])
        #expect(limit.held(at: t0 + 20) == [anna: t0 + 40])
    }

    @Test func eachPersonAndChannelHasItsOwnLimitAndAQuietOneIsForgotten() {
        var limit = RecipientRateLimit(policy: .init(burst: 1, interval: 10))
        #expect(takes(&limit, anna, at: [t0]) == [true])
        #expect(takes(&limit, annaPush, at: [t0]) == [true], "another channel is not held by the SMS")
        #expect(Set(limit.held(at: t0 + 5).keys) == [anna, annaPush])
        #expect(limit.held(at: t0 + 10) == [:])
        #expect(takes(&limit, anna, at: [t0 + 10]) == [true])
    }

    @Test func anIntervalOfZeroIsNoLimit() {
        var limit = RecipientRateLimit(policy: .unlimited)
        #expect(takes(&limit, anna, at: Array(repeating: t0, count: 50)).allSatisfy { $0 })
        #expect(limit.held(at: t0) == [:])
    }
}
