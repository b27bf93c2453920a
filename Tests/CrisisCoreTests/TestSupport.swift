import CrisisCore
import Foundation

/// Fixed instants for the tests: core tests never read the clock.
func utc(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else { fatalError("bad test instant \(text)") }
    return date
}

let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!
let utcZone = TimeZone(identifier: "UTC")!

/// The crisis with one clock ended as `outcome` at `instant`, as the store would have it.
func ending(
    _ kind: ClockKind, of crisis: CrisisSnapshot, as outcome: ClockOutcome, at instant: Date,
    by person: String = "anna",
    reason: String? = nil
) -> CrisisSnapshot {
    var crisis = crisis
    for index in crisis.clocks.indices where crisis.clocks[index].kind == kind {
        crisis.clocks[index].outcome = outcome
        crisis.clocks[index].endedAt = instant
        crisis.clocks[index].endedBy = person
        crisis.clocks[index].reason = reason
    }
    return crisis
}

/// A tiny deterministic generator so that "random" references are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
