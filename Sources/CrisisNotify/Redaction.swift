import Foundation

/// Keeps secrets out of errors, logs and the journal.
///
/// A webhook URL may carry its secret anywhere after the host: Slack-style hooks in the path
/// (`/services/T0/B0/XXXX`), ntfy in the topic, others in `?token=` or in `user:password@`.
/// So a URL in an error keeps its scheme, host and port only.
public enum Redaction {
    /// `https://u:p@hooks.example:8443/services/X?token=1#f` → `https://hooks.example:8443`.
    public static func redact(_ url: String) -> String {
        var text = Substring(url)
        var scheme = Substring("")
        if let range = text.range(of: "://") {
            scheme = text[..<range.upperBound]
            text = text[range.upperBound...]
        }
        let authorityEnd = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
        var authority = text[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return String(scheme + authority)
    }

    /// The parts of a URL that may be secret, each on its own: user and password, path, query,
    /// fragment, and all of them together. An answer that quotes one of them is blanked with `scrub`.
    public static func secretParts(of url: String) -> [String] {
        var text = Substring(url)
        if let range = text.range(of: "://") { text = text[range.upperBound...] }
        let authorityEnd = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
        var parts: [Substring] = []
        if let at = text[..<authorityEnd].lastIndex(of: "@") { parts.append(text[..<at]) }
        let rest = text[authorityEnd...]
        parts.append(rest)
        let fragmentStart = rest.firstIndex(of: "#") ?? rest.endIndex
        parts.append(rest[fragmentStart...].dropFirst())
        let beforeFragment = rest[..<fragmentStart]
        let queryStart = beforeFragment.firstIndex(of: "?") ?? beforeFragment.endIndex
        parts.append(beforeFragment[..<queryStart])
        parts.append(beforeFragment[queryStart...].dropFirst())
        return parts.map(String.init).filter { !$0.isEmpty && $0 != "/" }
    }

    /// Redacts every URL in a text, then blanks each secret as `[redacted]`: for error messages
    /// that may quote a URL or a server's answer.
    public static func scrub(_ text: String, secrets: [String] = []) -> String {
        // A URL runs to the next space or quote; punctuation that ends a clause is not part of it.
        let url = /[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\s"'<>]*[^\s"'<>.,;:!?)\]]/
        var scrubbed = text.replacing(url) { match in redact(String(match.output)) }
        for secret in secrets.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            scrubbed = scrubbed.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return scrubbed
    }
}
