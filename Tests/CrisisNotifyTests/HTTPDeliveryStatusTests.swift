import CrisisCore
import Foundation
import Testing

@testable import CrisisNotify

/// What an HTTP answer means for a page: 5xx and 429 are tried again (after Retry-After when the
/// answer gives one), every other 4xx and any redirect are not.
struct HTTPDeliveryStatusTests {
    let url = "https://hooks.example.org/secret-path"
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [500, 502, 503, 504, 429])
    func aServerErrorOrTooManyRequestsIsRetried(status: Int) {
        guard case .failed(true, _, nil) = HTTPDeliveryStatus.outcome(status: status, url: url) else {
            Issue.record("\(status) should be retried")
            return
        }
    }

    @Test(arguments: [400, 401, 403, 404, 408, 410, 413, 422, 301, 302])
    func anyOtherClientErrorOrARedirectIsNot(status: Int) {
        guard case .failed(false, let reason, _) = HTTPDeliveryStatus.outcome(status: status, url: url) else {
            Issue.record("\(status) should not be retried")
            return
        }
        #expect(reason == "https://hooks.example.org answered HTTP \(status)")
    }

    @Test func retryAfterInSecondsOrAsAnHTTPDateIsHonoured() {
        #expect(
            HTTPDeliveryStatus.outcome(status: 429, url: url, retryAfter: "30", now: now)
                == .failed(
                    retryable: true, reason: "https://hooks.example.org answered HTTP 429 (Retry-After 30 s)",
                    retryAfter: 30))
        // 1_800_000_000 is Fri, 15 Jan 2027 08:00:00 GMT.
        guard
            case .failed(true, _, let wait) = HTTPDeliveryStatus.outcome(
                status: 503, url: url, retryAfter: "Fri, 15 Jan 2027 08:02:00 GMT", now: now)
        else {
            Issue.record("503 should be retried")
            return
        }
        #expect(wait == 120)
        guard
            case .failed(true, _, nil) = HTTPDeliveryStatus.outcome(status: 429, url: url, retryAfter: "soon", now: now)
        else {
            Issue.record("an unreadable Retry-After leaves the backoff")
            return
        }
    }
}
