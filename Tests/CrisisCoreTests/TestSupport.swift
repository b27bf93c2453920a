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
