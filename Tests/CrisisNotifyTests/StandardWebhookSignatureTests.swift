import CrisisCore
import CrisisNotify
import Foundation
import Testing

/// Webhook pages are signed as Standard Webhooks receivers verify them.
struct StandardWebhookSignatureTests {
    /// The example of the Standard Webhooks specification and its reference libraries.
    @Test func theSignatureOfTheSpecificationsExampleIsTheOneItGives() throws {
        let signer = StandardWebhookSignature(secret: try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        // Each signature starts from the key, not from where the one before left off.
        #expect(signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body) == signature)
    }

    @Test func theHeadersCarryTheIdTheTimestampAndTheSignatureOverBoth() throws {
        let signer = StandardWebhookSignature(secret: try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let body = Array(#"{"kind":"crisis"}"#.utf8)
        let headers = Dictionary(
            uniqueKeysWithValues: signer.headers(id: "CR-7K4P-page-1", timestamp: 1_800_000_000, body: body))
        #expect(headers["webhook-id"] == "CR-7K4P-page-1")
        #expect(headers["webhook-timestamp"] == "1800000000")
        #expect(
            headers["webhook-signature"] == signer.signature(id: "CR-7K4P-page-1", timestamp: 1_800_000_000, body: body)
        )
        #expect(
            headers["webhook-signature"]
                != signer.signature(id: "CR-7K4P-page-2", timestamp: 1_800_000_000, body: body),
            "the id is signed")
        #expect(
            headers["webhook-signature"]
                != signer.signature(id: "CR-7K4P-page-1", timestamp: 1_800_000_001, body: body),
            "the timestamp is signed")
    }

    @Test(arguments: [
        ("change-me-to-a-long-random-secret", "must be a Standard Webhooks secret"),
        ("whsec_not base64!", "is not base64 after whsec_"),
        ("whsec_c2hvcnQ=", "holds a 5-byte key: use 24 to 64 random bytes"),
    ])
    func aSecretThatIsNotAStandardWebhooksSecretIsRefusedWithTheReason(text: String, message: String) {
        #expect {
            try WebhookSecret(text)
        } throws: { error in
            (error as? FieldError)?.field == "secret" && (error as? FieldError)?.message.contains(message) == true
        }
    }
}
