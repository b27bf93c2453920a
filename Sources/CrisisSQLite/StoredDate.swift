import CrisisCore
import Foundation
import GRDB

/// A date bound as GRDB stores one (`yyyy-MM-dd HH:mm:ss.SSS` in UTC, as text), formatted without
/// ICU. GRDB formats every `Date` it binds with a `DateFormatter`, which on Linux goes through
/// ICU: a sixth of the time a pass spends on each crisis. Stored dates compare as text, so this
/// writes exactly GRDB's text (`StoredDateTests` holds it to GRDB's own), and reading stays GRDB's.
struct StoredDate: DatabaseValueConvertible {
    var date: Date

    var databaseValue: DatabaseValue { Self.text(date)?.databaseValue ?? date.databaseValue }

    static func fromDatabaseValue(_ value: DatabaseValue) -> StoredDate? {
        Date.fromDatabaseValue(value).map(StoredDate.init)
    }

    /// GRDB's text for `date`, or nil outside the years 1600-9999, which GRDB's formatter writes
    /// its own way (the Julian calendar before 1582, more than four digits after 9999).
    static func text(_ date: Date) -> String? {
        // As Foundation hands the instant to ICU: milliseconds since 1970 as a double, plus half a
        // millisecond; ICU takes the day by flooring and the time of day by truncating the rest.
        let milliseconds = (date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5
        let day = (milliseconds / 86_400_000).rounded(.down)
        guard day.isFinite, abs(day) < 4_000_000 else { return nil }
        let inDay = Int(milliseconds - day * 86_400_000)
        let (year, month, dayOfMonth) = CivilDay.date(Int(day))
        guard (1600...9999).contains(year) else { return nil }
        // Written straight into the string's storage: no array, no formatter.
        return String(unsafeUninitializedCapacity: 23) { text in
            func put(_ value: Int, digits: Int, at offset: Int, then separator: Character?) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                if let separator { text[offset + digits] = separator.asciiValue! }
            }
            put(year, digits: 4, at: 0, then: "-")
            put(month, digits: 2, at: 5, then: "-")
            put(dayOfMonth, digits: 2, at: 8, then: " ")
            put(inDay / 3_600_000, digits: 2, at: 11, then: ":")
            put(inDay / 60_000 % 60, digits: 2, at: 14, then: ":")
            put(inDay / 1000 % 60, digits: 2, at: 17, then: ".")
            put(inDay % 1000, digits: 3, at: 20, then: nil)
            return 23
        }
    }
}

extension Date {
    /// This date, to bind as GRDB would, faster.
    var stored: StoredDate { StoredDate(date: self) }

    /// This date as a read of it from the database gives it back: to the millisecond.
    var asStored: Date { Date.fromDatabaseValue(stored.databaseValue) ?? self }
}

extension ResponseClock {
    /// This clock as a read of it from the database gives it back: its instants to the millisecond.
    var asStored: ResponseClock {
        var clock = self
        clock.startedAt = startedAt.asStored
        clock.dueAt = dueAt.asStored
        clock.warnAt = warnAt?.asStored
        clock.warnedAt = warnedAt?.asStored
        clock.endedAt = endedAt?.asStored
        return clock
    }
}

extension Optional<Date> {
    /// This date, to bind as GRDB would, faster; NULL when nil.
    var stored: StoredDate? { map(StoredDate.init) }
}
