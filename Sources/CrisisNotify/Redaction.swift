/// Keeps secrets out of logs and the journal.
public enum Redaction {
    /// Drops user:password and the query of a URL: `https://u:p@host/x?token=1` → `https://host/x`.
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
        var rest = text[authorityEnd...]
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        return String(scheme + authority + rest)
    }
}
