import CrisisCore

/// What an HTTP answer means for a page, for every channel that posts one.
public enum HTTPDeliveryStatus {
    /// 2xx is delivered; 5xx, 408 and 429 are worth a retry; any other answer is not.
    public static func outcome(status: Int, url: String) -> DeliveryOutcome {
        switch status {
        case 200..<300: .delivered(detail: "HTTP \(status)")
        case 500..<600, 408, 429: .failed(retryable: true, reason: "\(Redaction.redact(url)) answered HTTP \(status)")
        default: .failed(retryable: false, reason: "\(Redaction.redact(url)) answered HTTP \(status)")
        }
    }
}
