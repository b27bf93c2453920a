import Foundation

/// Reads a time a person typed on the command line.
///
/// Accepts ISO 8601 with a zone (`2026-11-23T14:00:00Z`), a local time in the rota's zone
/// (`2026-11-23 15:00`, `2026-11-23T15:00`, `2026-11-23`), `now`, and a span ago (`30m`, `-2h`).
public enum InstantParser {
    public static func parse(_ text: String, timeZone: TimeZone, now: Date) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return now }
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        if let local = LocalDateTime(parsing: trimmed) { return local.instant(in: timeZone) }
        let spanText = trimmed.hasPrefix("-") ? String(trimmed.dropFirst()) : trimmed
        if let span = TimeSpan(parsing: spanText) { return now - span.seconds }
        return nil
    }
}
