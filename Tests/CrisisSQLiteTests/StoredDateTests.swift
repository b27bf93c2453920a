import Foundation
import GRDB
import Testing

@testable import CrisisSQLite

/// Stored dates compare as text (`next_deadline_at <= ?`): `StoredDate` must write exactly the
/// text GRDB writes for a `Date`, or a deadline written one way and `now` bound the other could
/// sort a millisecond apart.
@Suite struct StoredDateTests {
    func grdb(_ date: Date) -> String { String.fromDatabaseValue(date.databaseValue)! }
    func ours(_ date: Date) -> String { String.fromDatabaseValue(date.stored.databaseValue)! }

    @Test func knownInstantsAreWrittenAsGRDBWritesThem() {
        #expect(ours(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000")
        #expect(
            ours(Date(timeIntervalSince1970: 1_795_000_000.123)) == grdb(Date(timeIntervalSince1970: 1_795_000_000.123))
        )
        // Leap days, the turn of a year, and before 1970.
        for text in [
            "2028-02-29 23:59:59.999", "2026-12-31 23:59:59.999", "2027-01-01 00:00:00.000",
            "1969-12-31 23:59:59.999", "1600-03-01 00:00:00.000", "9999-12-31 23:59:59.999",
        ] {
            let date = try! #require(Date.fromDatabaseValue(text.databaseValue))
            #expect(ours(date) == text)
            #expect(ours(date) == grdb(date))
        }
    }

    @Test func randomInstantsAreWrittenAsGRDBWritesThem() {
        var generator = SystemRandomNumberGenerator()
        var samples: [Date] = [Date(timeIntervalSince1970: 1_796_614_673.420_105)]
        // Anywhere from 1600 to 9999, and many near now with sub-millisecond parts, where the
        // rounding of a double to milliseconds is decided.
        samples += (0..<20_000).map { _ in
            Date(timeIntervalSince1970: Double.random(in: -11_670_000_000...253_402_300_799, using: &generator))
        }
        samples += (0..<20_000).map { _ in
            Date(timeIntervalSince1970: 1_795_000_000 + Double.random(in: 0...100_000_000, using: &generator))
        }
        samples += (0..<5000).map { n in Date(timeIntervalSince1970: 1_795_000_000 + Double(n) * 0.001) }
        samples += (0..<5000).map { n in Date(timeIntervalSinceReferenceDate: 815_000_000 + Double(n) * 0.0001) }
        let mismatches = samples.filter { ours($0) != grdb($0) }
        let shown = mismatches.prefix(5).map { "\($0.timeIntervalSince1970): \(ours($0)) vs \(grdb($0))" }
        #expect(mismatches.count == 0, "\(shown)")
    }

    @Test func outsideTheYearsItKnowsGRDBWritesTheDate() {
        for date in [Date(timeIntervalSince1970: -20_000_000_000), Date.distantPast, Date.distantFuture] {
            #expect(ours(date) == grdb(date))
        }
    }

    @Test func aStoredDateReadsBackAsGRDBReadsIt() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.5)
        #expect(
            StoredDate.fromDatabaseValue(date.stored.databaseValue)?.date == Date.fromDatabaseValue(date.databaseValue))
    }
}
