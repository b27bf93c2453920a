import Foundation

/// Checks a received page with the Standard Webhooks reference library for Python
/// (`standardwebhooks`, installed by `scripts/setup --tests`), as a receiver would: the page as
/// received verifies; with one byte of its body changed, or arriving again six minutes later
/// (a replay), it does not. Prints one line per check: `as sent: ok`, `altered: refused`, ….
func standardWebhooksCheck(_ delivery: WebhookReceiver.Delivery, secret: String) throws -> CommandResult {
    let file = NSTemporaryDirectory() + "standard-webhooks-\(UUID().uuidString.prefix(8)).json"
    defer { try? FileManager.default.removeItem(atPath: file) }
    let request: [String: Any] = [
        "body": delivery.body.map { String(format: "%02x", $0) }.joined(), "headers": delivery.headers,
    ]
    try JSONSerialization.data(withJSONObject: request).write(to: URL(fileURLWithPath: file))
    return try runCommand(
        URL(fileURLWithPath: "/usr/bin/env"),
        [
            "python3", "-c",
            """
            import datetime, json, sys
            from standardwebhooks import webhooks
            request = json.load(open(sys.argv[2]))
            body, headers = bytes.fromhex(request["body"]), request["headers"]
            hook = webhooks.Webhook(sys.argv[1])
            def check(name, body, headers):
                try:
                    hook.verify(body, headers)
                    print(name + ": ok")
                except webhooks.WebhookVerificationError as error:
                    print(name + ": refused (" + str(error) + ")")
            check("as sent", body, headers)
            check("altered", body.replace(b'"step":', b'"step": '), headers)
            class Later(datetime.datetime):
                @classmethod
                def now(cls, tz=None):
                    return datetime.datetime.now(tz) + datetime.timedelta(minutes=6)
            webhooks.datetime = Later
            check("replayed 6 min later", body, headers)
            """,
            secret, file,
        ])
}
