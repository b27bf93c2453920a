import Foundation

/// Fixed instants for the tests: core tests never read the clock.
func utc(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else { fatalError("bad test instant \(text)") }
    return date
}

let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!
let utcZone = TimeZone(identifier: "UTC")!
