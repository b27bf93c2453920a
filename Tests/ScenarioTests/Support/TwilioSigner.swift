import Foundation

/// Signs a callback as Twilio does, with Twilio's own Python library (`twilio`, installed by
/// `scripts/setup --tests`): `RequestValidator(auth_token).compute_signature(url, params)`.
func twilioSignature(authToken: String, url: String, params: [String: String]) throws -> String {
    let json = String(decoding: try JSONSerialization.data(withJSONObject: params), as: UTF8.self)
    let result = try runCommand(
        URL(fileURLWithPath: "/usr/bin/env"),
        [
            "python3", "-c",
            """
            import json, sys
            from twilio.request_validator import RequestValidator
            print(RequestValidator(sys.argv[1]).compute_signature(sys.argv[2], json.loads(sys.argv[3])))
            """,
            authToken, url, json,
        ])
    guard result.status == 0 else { throw TestFailure("python twilio: \(result.stderr)") }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}
