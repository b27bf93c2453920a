import CrisisCore
import CrisisNotify
import Foundation
import Testing

/// Whatever a delivery fails on, the reason a notifier gives (it becomes the page's `last_error`,
/// the journal's `page.failed` and the log line) names no secret: not the webhook's signing
/// secret, nor the URL's user, password, path, query or fragment, where Slack-style hooks and
/// ntfy topics carry theirs. After Alertmanager's `AssertNotifyLeaksNoSecret`.
@Suite struct NotifierLeakTests {
    static let marker = "leakcheck7f3a"

    enum Failure: String, CaseIterable, Sendable {
        /// Nothing listens on port 1 of loopback.
        case connectionRefused
        /// A server answering 500 with the request echoed back, secret headers and all.
        case serverErrorEchoingTheRequest
        /// A 403, echoed likewise: not worth a retry, and no more quotable.
        case clientErrorEchoingTheRequest
        /// A server slower than the notifier's timeout.
        case timeout
    }

    static func url(_ failure: Failure, server: EchoServer) -> String {
        let secretParts = "/\(marker)/services/T0/B0/\(marker)?token=\(marker)#\(marker)"
        return switch failure {
        case .connectionRefused: "http://hook-user:\(marker)@127.0.0.1:1/hooks" + secretParts
        case .serverErrorEchoingTheRequest:
            server.base.replacingOccurrences(of: "//", with: "//u:\(marker)@") + "/echo" + secretParts
        case .clientErrorEchoingTheRequest: server.base + "/forbidden" + secretParts
        case .timeout: server.base + "/slow" + secretParts
        }
    }

    func page() -> PageMessage {
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        return PageMessage(
            id: "CR-7K4P-page-1", reference: CrisisReference(parsing: "CR-7K4P")!, category: .violence, site: "Depot",
            callback: "+4512345678",
            drill: false, receivedAt: t0, clocks: [], recipient: "anna", step: 1, publicURL: "https://crisisd.example")
    }

    /// Sent by the sender's loop (`deliver`), or started at the page's hand-over (`start`).
    @Test(arguments: Failure.allCases, [false, true])
    func aFailedWebhookDeliveryNamesNoSecretButStillNamesTheHost(_ failure: Failure, started: Bool) async throws {
        let server = EchoServer()
        try await server.start()
        defer { server.stop() }
        let secretText = "whsec_" + Data("signing-\(Self.marker)-key-bytes".utf8).base64EncodedString()
        let notifier = WebhookNotifier(
            url: Self.url(failure, server: server), secret: try WebhookSecret(secretText), timeout: 0.5)

        let outcome = started ? await Self.started(notifier, page()) : await notifier.deliver(page())
        guard case .failed(_, let reason, _) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(!reason.contains(Self.marker), "\(reason)")
        #expect(!reason.contains(secretText.dropFirst(6).prefix(12)), "\(reason)")
        #expect(!reason.contains("hook-user") && !reason.contains("services"), "\(reason)")
        #expect(reason.contains("127.0.0.1"), "the reason still says where the page went: \(reason)")
    }

    /// The outcome of `message` started through `notifier`.
    static func started(_ notifier: WebhookNotifier, _ message: PageMessage) async -> DeliveryOutcome {
        await withCheckedContinuation { continuation in
            notifier.start(message) { continuation.resume(returning: $0) }
        }
    }
}
