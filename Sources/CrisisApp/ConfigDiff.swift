import CrisisConfig
import CrisisCore

/// What a reload changed, in lines for the journal and the log: `rotation chiefs changed`.
enum ConfigDiff {
    static func summary(from old: Config, to new: Config) -> [String] {
        var lines: [String] = []
        func compare<T: Equatable>(_ kind: String, _ a: [T], _ b: [T], id: (T) -> String) {
            let before = Dictionary(a.map { (id($0), $0) }, uniquingKeysWith: { x, _ in x })
            let after = Dictionary(b.map { (id($0), $0) }, uniquingKeysWith: { x, _ in x })
            for key in after.keys.sorted() where before[key] == nil { lines.append("\(kind) \(key) added") }
            for key in before.keys.sorted() where after[key] == nil { lines.append("\(kind) \(key) removed") }
            for key in after.keys.sorted() where before[key] != nil && before[key] != after[key] {
                lines.append("\(kind) \(key) changed")
            }
        }
        compare("person", old.people, new.people, id: \.id)
        compare("channel", old.channels, new.channels, id: \.id)
        compare("rotation", old.rotations, new.rotations, id: \.id)
        compare("schedule", old.schedules, new.schedules, id: \.id)
        compare("requester", old.requesters, new.requesters, id: \.id)
        if old.overrides != new.overrides {
            lines.append("overrides changed (\(old.overrides.count) → \(new.overrides.count))")
        }
        if old.escalation != new.escalation { lines.append("escalation changed") }
        if old.clocks != new.clocks { lines.append("clocks changed (new crises only)") }
        if old.delivery != new.delivery { lines.append("delivery changed") }
        if old.timeZone != new.timeZone { lines.append("timezone changed to \(new.timeZone.identifier)") }
        if old.http.publicURL != new.http.publicURL { lines.append("http.public_url changed") }
        for (name, changed) in [
            ("http.listen", old.http.host != new.http.host || old.http.port != new.http.port),
            ("http.max_body_bytes", old.http.maxBodyBytes != new.http.maxBodyBytes),
            ("http.idle_timeout", old.http.idleTimeout != new.http.idleTimeout),
            ("http.max_connections", old.http.maxConnections != new.http.maxConnections),
            ("control.socket", old.controlSocket != new.controlSocket), ("state_dir", old.stateDir != new.stateDir),
        ] where changed {
            lines.append("\(name) changed: takes effect at the next restart")
        }
        return lines.isEmpty ? ["no changes"] : lines
    }
}
