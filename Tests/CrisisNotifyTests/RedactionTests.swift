import CrisisNotify
import Testing

/// A URL in an error keeps its scheme, host and port only: user, password, path, query and
/// fragment may each be a secret (a Slack hook's path, an ntfy topic, a token parameter).
@Suite struct RedactionTests {
    @Test(arguments: [
        ("https://hooks.slack.com/services/T000/B000/XXXXXXXX", "https://hooks.slack.com"),
        ("https://ntfy.sh/crisis-team-9f8e7d", "https://ntfy.sh"),
        ("https://user:pass@pager.example:8443/api/v1/hook?token=abc#frag", "https://pager.example:8443"),
        ("http://[::1]:9000/p?q=1", "http://[::1]:9000"),
        ("http://127.0.0.1:1", "http://127.0.0.1:1"),
    ])
    func aURLKeepsOnlyItsSchemeHostAndPort(_ url: String, _ redacted: String) {
        #expect(Redaction.redact(url) == redacted)
    }

    @Test func aURLInsideATextIsRedactedAndEachSecretIsBlanked() {
        let text = "POST https://u:p@ntfy.sh/topic-9f8e?auth=tok failed; echo: X-Sig=sha256-k3y, path /topic-9f8e"
        let scrubbed = Redaction.scrub(text, secrets: ["k3y", "/topic-9f8e"])
        #expect(scrubbed == "POST https://ntfy.sh failed; echo: X-Sig=sha256-[redacted], path [redacted]")
    }
}
