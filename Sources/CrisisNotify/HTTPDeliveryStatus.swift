import CrisisCore
import Foundation

/// What an HTTP answer means for a page, for every channel that posts one.
public enum HTTPDeliveryStatus {
    /// 2xx is delivered; 5xx and 429 are worth a retry, after the answer's `Retry-After` when
    /// it gives one; any other answer (another 4xx, a redirect) is not.
    public static func outcome(status: Int, url: String, retryAfter: String? = nil, now: Date = Date())
        -> DeliveryOutcome
    {
        switch status {
        case 200..<300:
            return .delivered(detail: "HTTP \(status)")
        case 500..<600, 429:
            let wait = retryAfter.flatMap { seconds(retryAfter: $0, now: now) }
            let asked = wait.map { " (Retry-After \(Int($0)) s)" } ?? ""
            return .failed(
                retryable: true, reason: "\(Redaction.redact(url)) answered HTTP \(status)\(asked)", retryAfter: wait)
        default:
            return .failed(retryable: false, reason: "\(Redaction.redact(url)) answered HTTP \(status)")
        }
    }

    /// `Retry-After` as seconds from `now`: a number of seconds, or an HTTP date.
    static func seconds(retryAfter text: String, now: Date) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return format.date(from: trimmed).map { max(0, $0.timeIntervalSince(now)) }
    }
}
