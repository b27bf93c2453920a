import CrisisCore
import Testing

/// A hand-stepped instant: seconds since the test began.
struct StepInstant: InstantProtocol {
    var offset: Duration

    static func seconds(_ seconds: Double) -> StepInstant { StepInstant(offset: .milliseconds(Int(seconds * 1000))) }
    func advanced(by duration: Duration) -> StepInstant { StepInstant(offset: offset + duration) }
    func duration(to other: StepInstant) -> Duration { other.offset - offset }
    static func < (a: StepInstant, b: StepInstant) -> Bool { a.offset < b.offset }
}

struct MissLimiterTests {
    let keys = ["requester:albertslund", "address:192.0.2.7"]

    /// `count` misses by `keys`, one every `every` seconds from `start`.
    func limiter(misses count: Int, by keys: [String], from start: Double = 0, every: Double = 1) -> MissLimiter<
        StepInstant
    > {
        var limiter = MissLimiter<StepInstant>(limit: 20, window: .seconds(60))
        for index in 0..<count { limiter.recordMiss(keys, at: .seconds(start + Double(index) * every)) }
        return limiter
    }

    @Test func twentyMissesInAMinuteAreAllowedAndTheNextLookupIsRefusedUntilTheOldestIsAMinuteOld() {
        var limiter = limiter(misses: 19, by: keys)
        #expect(limiter.admit(keys, at: .seconds(19)) == .allowed)
        limiter.recordMiss(keys, at: .seconds(19))
        // The first miss was at 0 s: lookups wait until 60 s.
        #expect(limiter.admit(keys, at: .seconds(20)) == .refused(retryAfter: .seconds(40), newlyLimited: keys))
        #expect(limiter.admit(keys, at: .seconds(59.5)) == .refused(retryAfter: .milliseconds(500), newlyLimited: []))
        #expect(limiter.admit(keys, at: .seconds(60)) == .allowed)
    }

    @Test func missesSpreadOverMoreThanAMinuteAreNeverRefused() {
        var limiter = MissLimiter<StepInstant>(limit: 20, window: .seconds(60))
        for index in 0..<200 {
            let now = StepInstant.seconds(Double(index) * 3.5)
            #expect(limiter.admit(keys, at: now) == .allowed, "miss \(index)")
            limiter.recordMiss(keys, at: now)
        }
    }

    @Test func aLookupIsRefusedWhenEitherOfItsKeysIsLimited() {
        var limiter = limiter(misses: 20, by: ["requester:albertslund", "address:192.0.2.7"])
        // Another token from the same address, and the same token from another address.
        #expect(limiter.admit(["requester:hvidovre", "address:192.0.2.7"], at: .seconds(30)) != .allowed)
        #expect(limiter.admit(["requester:albertslund", "address:198.51.100.1"], at: .seconds(30)) != .allowed)
        #expect(limiter.admit(["requester:hvidovre", "address:198.51.100.1"], at: .seconds(30)) == .allowed)
    }

    @Test func theRetryAfterIsTheLongestWaitOfTheRefusedKeys() {
        var limiter = MissLimiter<StepInstant>(limit: 20, window: .seconds(60))
        for index in 0..<20 { limiter.recordMiss(["address:192.0.2.7"], at: .seconds(Double(index))) }
        for index in 0..<20 { limiter.recordMiss(["requester:albertslund"], at: .seconds(10 + Double(index))) }
        let decision = limiter.admit(["requester:albertslund", "address:192.0.2.7"], at: .seconds(30))
        #expect(
            decision
                == .refused(retryAfter: .seconds(40), newlyLimited: ["requester:albertslund", "address:192.0.2.7"]))
    }

    @Test func aKeyWalkingOnIsReportedOnceUntilItHasBeenQuietForAWholeWindow() {
        var limiter = limiter(misses: 20, by: keys)
        #expect(limiter.admit(keys, at: .seconds(20)) == .refused(retryAfter: .seconds(40), newlyLimited: keys))
        // One lookup a minute later misses again: refused again, not reported again.
        #expect(limiter.admit(keys, at: .seconds(60)) == .allowed)
        limiter.recordMiss(keys, at: .seconds(60))
        #expect(limiter.admit(keys, at: .seconds(60.5)) == .refused(retryAfter: .milliseconds(500), newlyLimited: []))
        // Quiet for a whole window, then another run: reported again.
        var quiet = limiter
        for index in 0..<20 { quiet.recordMiss(keys, at: .seconds(200 + Double(index))) }
        #expect(quiet.admit(keys, at: .seconds(220)) == .refused(retryAfter: .seconds(40), newlyLimited: keys))
    }

    @Test func keysGoneQuietForAWindowAreForgotten() {
        var limiter = MissLimiter<StepInstant>(limit: 20, window: .seconds(60))
        for index in 0..<1000 { limiter.recordMiss(["address:10.0.\(index / 256).\(index % 256)"], at: .seconds(1)) }
        #expect(limiter.trackedKeys == 1000)
        limiter.recordMiss(["requester:albertslund"], at: .seconds(61))
        #expect(limiter.trackedKeys == 1)
    }
}
