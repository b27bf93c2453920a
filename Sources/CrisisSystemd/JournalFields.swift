import Logging

/// How log metadata becomes journal fields: the one place that names them.
///
/// The keys call sites use for what ops filter on get the names the runbooks and catalog quote
/// (`crisis_ref` → `CRISIS_REF`, `channel` → `PAGE_CHANNEL`); any other key is upper-cased, with
/// what journald does not accept in a field name replaced (`next_attempt_at` → `NEXT_ATTEMPT_AT`).
public enum JournalFields {
    /// Metadata keys whose journal field is not simply the key upper-cased.
    public static let names: [String: String] = [
        "crisis_ref": "CRISIS_REF",
        "category": "CRISIS_CATEGORY",
        "step": "CRISIS_STEP",
        "clock": "CLOCK",
        "channel": "PAGE_CHANNEL",
        "recipient": "RECIPIENT_ID",
        LogMessageID.metadataKey: "MESSAGE_ID",
    ]

    /// Fields journald or crisisd itself sets: metadata never overwrites them.
    static let reserved: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "SYSLOG_FACILITY", "SYSLOG_PID", "SYSLOG_TIMESTAMP",
        "SYSLOG_RAW", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "ERRNO", "TID", "DOCUMENTATION", "INVOCATION_ID",
        "UNIT", "USER_UNIT",
    ]

    /// The journal field for a metadata key: only `A-Z`, `0-9` and `_`, not starting with `_` (which
    /// journald keeps for its own trusted fields) or a digit, at most 64 characters.
    public static func name(for key: String) -> String {
        if let name = names[key] { return name }
        var name = String(
            key.uppercased().unicodeScalars.map { scalar -> Character in
                ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
        while name.hasPrefix("_") { name.removeFirst() }
        if name.isEmpty || name.first!.isNumber || reserved.contains(name) { name = "CRISISD_" + name }
        return String(name.prefix(64))
    }

    /// An entry's fields as `NAME=value`, in a stable order: the message, its priority and
    /// identifier first, then the metadata by field name.
    ///
    /// `MESSAGE` is the line standard error would carry, metadata included
    /// (`page failed; will retry attempt=1 channel=pages crisis_ref=CR-7K4P …`): `journalctl -u crisisd`
    /// and `--grep` show what they showed before, and the fields are there to filter on.
    public static func entry(
        level: Logger.Level, message: String, metadata: Logger.Metadata, identifier: String
    ) -> [String] {
        var fields = [
            "MESSAGE=\(JournalStreamLogHandler.line(message: message, metadata: metadata))",
            "PRIORITY=\(JournalStreamLogHandler.priority(level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
        ]
        var named: [String: String] = [:]
        for (key, value) in metadata { named[name(for: key)] = "\(value)" }
        fields += named.keys.sorted().map { "\($0)=\(named[$0]!)" }
        return fields
    }
}
