import CrisisCore
import Foundation

/// Loads and checks a config file. `crisisctl check-config`, the daemon's start and its reload
/// all go through here, so they agree on what is valid.
public enum ConfigLoader {
    public static let defaultPath = "/etc/crisisd/crisisd.toml"
    public static let environmentVariable = "CRISISD_CONFIG"

    /// `--config PATH`, else `$CRISISD_CONFIG`, else `/etc/crisisd/crisisd.toml`.
    public static func resolvePath(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath
    }

    public static func load(path: String) throws(ConfigErrors) -> Config {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigErrors([ConfigIssue(path, "cannot read the config file: \(error.localizedDescription)")])
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws(ConfigErrors) -> Config {
        let table: TOMLTable
        do throws(TOMLSyntaxError) {
            table = try TOMLParser.parse(text)
        } catch {
            throw ConfigErrors([ConfigIssue("line \(error.line)", "not valid TOML (column \(error.column)): \(error.reason)")])
        }
        let sink = IssueSink()
        let config = read(TableReader(table, place: "", sink: sink), sink: sink)
        guard sink.issues.isEmpty, let config else { throw ConfigErrors(sink.issues) }
        return config
    }

    // MARK: - Sections

    private static func read(_ root: TableReader, sink: IssueSink) -> Config? {
        let zoneName = root.string("timezone") ?? "UTC"
        let timeZone = TimeZone(identifier: zoneName)
        if timeZone == nil { root.issue("timezone", "\"\(zoneName)\" is not an IANA time zone (e.g. Europe/Copenhagen)") }

        let stateDir = root.string("state_dir") ?? "/var/lib/crisisd"
        if stateDir.isEmpty { root.issue("state_dir", "must not be empty") }

        let http = readHTTP(root.table("http"), root: root)
        let socket = readControl(root.table("control"))
        let clocks = readClocks(root.table("clocks"))
        let delivery = readDelivery(root.table("delivery"))
        let channels = readChannels(root.tables("channels"), sink: sink)
        let people = readPeople(root.tables("people"), channels: channels, sink: sink)
        let rotations = readRotations(root.tables("rotations"), people: people, sink: sink)
        let schedules = readSchedules(root.tables("schedules"), rotations: rotations, sink: sink)
        checkBackups(root, rotations: rotations, schedules: schedules)
        let overrides = readOverrides(
            root.tables("overrides"), people: people, targets: Set(rotations.map(\.id) + schedules.map(\.id)),
            timeZone: timeZone, sink: sink)
        let rota = Rota(timeZone: timeZone ?? .gmt, rotations: rotations, schedules: schedules, people: people)
        let escalation = readEscalation(
            root.table("escalation"), root: root, people: people, rota: rota, defaultWait: clocks.ack.seconds)
        let requesters = readRequesters(root.tables("requesters"), sink: sink)
        root.rejectUnknownKeys()

        guard let timeZone else { return nil }
        return Config(
            timeZone: timeZone, stateDir: stateDir, http: http, controlSocket: socket, clocks: clocks,
            delivery: delivery, people: people, channels: channels, rotations: rotations, schedules: schedules,
            overrides: overrides, escalation: escalation, requesters: requesters)
    }

    private static func readHTTP(_ section: TableReader?, root: TableReader) -> Config.HTTP {
        var http = Config.HTTP(host: "127.0.0.1", port: 8470, publicURL: "", maxBodyBytes: 64 * 1024)
        if let section {
            if let listen = section.string("listen") {
                if let (host, port) = parseListen(listen) {
                    http.host = host
                    http.port = port
                } else {
                    section.issue("listen", "\"\(listen)\" is not HOST:PORT (e.g. 127.0.0.1:8470)")
                }
            }
            if let url = section.string("public_url") {
                if url.hasPrefix("http://") || url.hasPrefix("https://") {
                    http.publicURL = url
                } else {
                    section.issue("public_url", "\"\(url)\" must start with http:// or https://")
                }
            }
            if let limit = section.int("max_body_bytes") {
                if (1024...(16 * 1024 * 1024)).contains(limit) {
                    http.maxBodyBytes = limit
                } else {
                    section.issue("max_body_bytes", "must be between 1024 and 16777216, not \(limit)")
                }
            }
            let idle = section.span("idle_timeout", default: TimeSpan(seconds: 30))
            if (1...3600).contains(idle.seconds) {
                http.idleTimeout = idle.seconds
            } else {
                section.issue("idle_timeout", "must be between 1s and 1h")
            }
            if let limit = section.int("max_connections") {
                if (4...65536).contains(limit) {
                    http.maxConnections = limit
                } else {
                    section.issue("max_connections", "must be between 4 and 65536, not \(limit)")
                }
            }
            section.rejectUnknownKeys()
        }
        if http.publicURL.isEmpty {
            let host = http.host.contains(":") ? "[\(http.host)]" : http.host
            http.publicURL = "http://\(host):\(http.port)"
        }
        return http
    }

    static func parseListen(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (host, port)
    }

    private static func readControl(_ section: TableReader?) -> String {
        var socket = "/run/crisisd/control.sock"
        if let section {
            if let path = section.string("socket") {
                if path.isEmpty {
                    section.issue("socket", "must not be empty")
                } else if path.utf8.count >= 104 {
                    section.issue("socket", "is \(path.utf8.count) bytes long; a unix socket path must be under 104")
                } else {
                    socket = path
                }
            }
            section.rejectUnknownKeys()
        }
        return socket
    }

    private static func readClocks(_ section: TableReader?) -> ClockPolicy {
        var policy = ClockPolicy()
        guard let section else { return policy }
        policy.ack = section.span("ack", default: policy.ack)
        policy.contact = section.span("contact", default: policy.contact)
        policy.onsite = section.span("onsite", default: policy.onsite)
        policy.warnBefore = section.span("warn_before", default: policy.warnBefore)
        if let scope = section.string("contact_applies_to") {
            if let parsed = ClockPolicy.ContactScope(rawValue: scope) {
                policy.contactAppliesTo = parsed
            } else {
                section.issue("contact_applies_to", "\"\(scope)\" is not one of all, individual")
            }
        }
        if policy.warnBefore.seconds >= policy.contact.seconds {
            section.issue("warn_before", "(\(policy.warnBefore)) must be shorter than contact (\(policy.contact))")
        }
        section.rejectUnknownKeys()
        return policy
    }

    private static func readDelivery(_ section: TableReader?) -> Config.Delivery {
        var delivery = Config.Delivery(retry: RetryPolicy(), timeout: 10)
        guard let section else { return delivery }
        if let attempts = section.int("max_attempts") {
            if (1...100).contains(attempts) {
                delivery.retry.maxAttempts = attempts
            } else {
                section.issue("max_attempts", "must be between 1 and 100, not \(attempts)")
            }
        }
        delivery.retry.initialBackoff = section.span("backoff_initial", default: TimeSpan(seconds: 2)).seconds
        delivery.retry.maxBackoff = section.span("backoff_max", default: TimeSpan(seconds: 300)).seconds
        delivery.timeout = section.span("timeout", default: TimeSpan(seconds: 10)).seconds
        if delivery.retry.maxBackoff < delivery.retry.initialBackoff {
            section.issue("backoff_max", "must not be shorter than backoff_initial")
        }
        section.rejectUnknownKeys()
        return delivery
    }

    private static func readChannels(_ sections: [TableReader], sink: IssueSink) -> [Channel] {
        var channels: [Channel] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "channel")
            if let id { seen.append(id) }
            let type = section.string("type", required: true)
            var kind: Channel.Kind?
            switch type {
            case "console":
                kind = .console
            case "webhook":
                var url = section.string("url", required: true)
                var secret = section.string("secret", required: true)
                if let text = url, !(text.hasPrefix("http://") || text.hasPrefix("https://")) {
                    section.issue("url", "\"\(text)\" must start with http:// or https://")
                    url = nil
                }
                if let text = secret, text.count < 16 {
                    section.issue("secret", "is shorter than 16 characters: receivers could not trust the signature")
                    secret = nil
                }
                if let url, let secret { kind = .webhook(url: url, secret: secret) }
            case let other?:
                section.issue("type", "\"\(other)\" is not one of \(Channel.typeNames.joined(separator: ", "))")
            case nil:
                break
            }
            section.rejectUnknownKeys()
            if let id, let kind { channels.append(Channel(id: id, kind: kind)) }
        }
        return channels
    }

    private static func readPeople(_ sections: [TableReader], channels: [Channel], sink: IssueSink) -> [Person] {
        var people: [Person] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "person")
            if let id { seen.append(id) }
            let name = section.string("name", required: true)
            let phone = section.string("phone", required: true)
            if let phone, !PhoneNumber.isPlausible(phone) {
                section.issue("phone", "\"\(phone)\" is not a phone number")
            }
            let contacts = section.strings("contacts", required: true) ?? []
            if section.has("contacts") && contacts.isEmpty {
                section.issue("contacts", "must name at least one channel")
            }
            for (index, contact) in contacts.enumerated() where !channels.contains(where: { $0.id == contact }) {
                sink.add(ConfigIssue(section.path("contacts") + "[\(index)]", "unknown channel \"\(contact)\""))
            }
            let calendarHash = section.string("calendar_token_sha256")?.lowercased()
            if let calendarHash, calendarHash.count != 64 || !calendarHash.allSatisfy(\.isHexDigit) {
                section.issue("calendar_token_sha256", "must be 64 hex digits (sha256sum of the token)")
            }
            let roles = section.strings("roles") ?? []
            for (index, role) in roles.enumerated() where !Person.knownRoles.contains(role) {
                sink.add(ConfigIssue(section.path("roles") + "[\(index)]", "unknown role \"\(role)\" (one of \(Person.knownRoles.joined(separator: ", ")))"))
            }
            section.rejectUnknownKeys()
            if let id, let name, let phone {
                people.append(
                    Person(id: id, name: name, phone: phone, contacts: contacts, roles: roles, calendarTokenSHA256: calendarHash))
            }
        }
        return people
    }

    private static func readRotations(_ sections: [TableReader], people: [Person], sink: IssueSink) -> [Rotation] {
        var rotations: [Rotation] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "rotation")
            if let id { seen.append(id) }
            let members = section.strings("members", required: true) ?? []
            if section.has("members") && members.isEmpty { section.issue("members", "must name at least one person") }
            for (index, member) in members.enumerated() where !people.contains(where: { $0.id == member }) {
                sink.add(ConfigIssue(section.path("members") + "[\(index)]", "unknown person \"\(member)\""))
            }
            var start: LocalDateTime?
            if let raw = section.raw("start"), raw.string == nil {
                section.issue("start", "must be a quoted local time such as \"2026-11-02T08:00\"")
            } else if let text = section.string("start", required: true) {
                start = LocalDateTime(parsing: text)
                if start == nil { section.issue("start", "\"\(text)\" is not a local time such as \"2026-11-02T08:00\"") }
            }
            var handoff: Rotation.Handoff?
            switch (section.has("shift"), section.has("handoffs")) {
            case (true, true):
                section.issue("handoffs", "give either shift or handoffs, not both")
                _ = section.string("shift")
                _ = section.strings("handoffs")
            case (false, false):
                section.issue("shift", "is required (or handoffs = [\"Mon 08:00\", ...])")
            case (true, false):
                if let text = section.string("shift") {
                    if let shift = TimeSpan(parsing: text) {
                        if shift.seconds < 60 { section.issue("shift", "must be at least 1m") } else { handoff = .every(shift) }
                    } else {
                        section.issue("shift", "\"\(text)\" is not a duration (use 12h, 7d, ...)")
                    }
                }
            case (false, true):
                let texts = section.strings("handoffs") ?? []
                var times: [WeeklyTime] = []
                for (index, text) in texts.enumerated() {
                    if let time = WeeklyTime(parsing: text) {
                        times.append(time)
                    } else {
                        sink.add(ConfigIssue(section.path("handoffs") + "[\(index)]", "\"\(text)\" is not a hand-off time such as \"Mon 08:00\" or \"08:00\""))
                    }
                }
                if texts.isEmpty { section.issue("handoffs", "must name at least one time") }
                if !times.isEmpty && times.count == texts.count { handoff = .at(times) }
            }
            var windows: [ActiveWindow] = []
            for (index, text) in (section.strings("active") ?? []).enumerated() {
                if let window = ActiveWindow(parsing: text) {
                    windows.append(window)
                } else {
                    sink.add(ConfigIssue(section.path("active") + "[\(index)]", "\"\(text)\" is not a window such as \"Mon-Fri 08:00-16:00\""))
                }
            }
            let backup = section.string("backup")
            section.rejectUnknownKeys()
            if let id, let start, let handoff {
                rotations.append(Rotation(id: id, members: members, start: start, handoff: handoff, backup: backup, active: windows))
            }
        }
        return rotations
    }

    private static func readSchedules(_ sections: [TableReader], rotations: [Rotation], sink: IssueSink) -> [Schedule] {
        var schedules: [Schedule] = []
        var seen = rotations.map(\.id)
        for section in sections {
            let id = identifier(section, taken: seen, what: "rotation or schedule")
            if let id { seen.append(id) }
            let layers = section.strings("layers", required: true) ?? []
            if section.has("layers") && layers.isEmpty { section.issue("layers", "must name at least one rotation") }
            for (index, layer) in layers.enumerated() where !rotations.contains(where: { $0.id == layer }) {
                sink.add(ConfigIssue(section.path("layers") + "[\(index)]", "unknown rotation \"\(layer)\""))
            }
            let backup = section.string("backup")
            section.rejectUnknownKeys()
            if let id { schedules.append(Schedule(id: id, layers: layers, backup: backup)) }
        }
        return schedules
    }

    /// Backups may name a rotation or a schedule, so they are checked once both are read.
    private static func checkBackups(_ root: TableReader, rotations: [Rotation], schedules: [Schedule]) {
        let known = Set(rotations.map(\.id) + schedules.map(\.id))
        let sink = root.sinkForChildren
        for (index, rotation) in rotations.enumerated() {
            guard let backup = rotation.backup else { continue }
            if backup == rotation.id {
                sink.add(ConfigIssue("rotations[\(index)].backup", "a rotation cannot be its own backup"))
            } else if !known.contains(backup) {
                sink.add(ConfigIssue("rotations[\(index)].backup", "unknown rotation or schedule \"\(backup)\""))
            }
        }
        for (index, schedule) in schedules.enumerated() {
            guard let backup = schedule.backup else { continue }
            if backup == schedule.id {
                sink.add(ConfigIssue("schedules[\(index)].backup", "a schedule cannot be its own backup"))
            } else if !known.contains(backup) {
                sink.add(ConfigIssue("schedules[\(index)].backup", "unknown rotation or schedule \"\(backup)\""))
            }
        }
    }

    private static func readOverrides(
        _ sections: [TableReader], people: [Person], targets: Set<String>, timeZone: TimeZone?, sink: IssueSink
    ) -> [RotaOverride] {
        var overrides: [RotaOverride] = []
        for (index, section) in sections.enumerated() {
            let rotation = section.string("rotation")
            let schedule = section.string("schedule")
            let target = rotation ?? schedule
            if rotation != nil && schedule != nil {
                section.issue("schedule", "give either rotation or schedule, not both")
            } else if target == nil {
                section.issue("rotation", "is required (or schedule): which rota the cover is for")
            } else if let target, !targets.contains(target) {
                section.issue(rotation != nil ? "rotation" : "schedule", "unknown rotation or schedule \"\(target)\"")
            }
            let person = section.string("person", required: true)
            if let person, !people.contains(where: { $0.id == person }) {
                section.issue("person", "unknown person \"\(person)\"")
            }
            func time(_ key: String) -> LocalDateTime? {
                guard let text = section.string(key, required: true) else { return nil }
                guard let local = LocalDateTime(parsing: text) else {
                    section.issue(key, "\"\(text)\" is not a local time such as \"2026-12-24T08:00\"")
                    return nil
                }
                return local
            }
            let from = time("from")
            let to = time("to")
            if let from, let to, to <= from { section.issue("to", "must be after from") }
            section.rejectUnknownKeys()
            if let target, let person, let from, let to, let timeZone, from < to {
                overrides.append(
                    RotaOverride(
                        id: "config[\(index)]", target: target, person: person, from: from.instant(in: timeZone),
                        to: to.instant(in: timeZone), createdBy: "config"))
            }
        }
        return overrides
    }

    private static func readEscalation(
        _ section: TableReader?, root: TableReader, people: [Person], rota: Rota, defaultWait: TimeInterval
    ) -> EscalationPolicy {
        var policy = EscalationPolicy(steps: [])
        guard let section else {
            root.issue("escalation", "is required: [escalation] steps = [\"rotation:ID\"] names whom a crisis pages")
            return policy
        }
        let sink = root.sinkForChildren
        func targets(_ texts: [String], place: String) -> [EscalationTarget] {
            texts.compactMap { text in
                guard let target = EscalationTarget(parsing: text) else {
                    sink.add(ConfigIssue(place, "\"\(text)\" is not a target (rotation:ID, schedule:ID, either with :backup, or person:ID)"))
                    return nil
                }
                if let problem = check(target, people: people, rota: rota) {
                    sink.add(ConfigIssue(place, problem))
                    return nil
                }
                return target
            }
        }

        if let raw = section.raw("steps") {
            if let array = raw.array, !array.isEmpty {
                for (index, element) in array.enumerated() {
                    let place = section.path("steps") + "[\(index)]"
                    if let text = element.string {
                        // A plain string step waits clocks.ack, as the shortest policy does.
                        policy.steps.append(.init(targets: targets([text], place: place), wait: defaultWait))
                    } else if let table = element.table {
                        let step = TableReader(table, place: place, sink: sink)
                        let notify = step.strings("notify", required: true) ?? []
                        if step.has("notify") && notify.isEmpty { step.issue("notify", "must name at least one target") }
                        let wait = step.has("wait") ? step.span("wait", default: TimeSpan(seconds: defaultWait)).seconds : defaultWait
                        step.rejectUnknownKeys()
                        policy.steps.append(.init(targets: targets(notify, place: step.path("notify")), wait: wait))
                    } else {
                        sink.add(ConfigIssue(place, "must be a target string or { notify = [...], wait = \"5m\" }"))
                    }
                }
            } else {
                section.issue("steps", "must be a non-empty list")
            }
        } else {
            section.issue("steps", "is required")
        }
        if let repeats = section.int("repeat") {
            if (0...20).contains(repeats) {
                policy.repeats = repeats
            } else {
                section.issue("repeat", "must be between 0 and 20, not \(repeats)")
            }
        }
        policy.breachTargets = targets(section.strings("breach") ?? [], place: section.path("breach"))
        policy.exhaustedTargets = targets(section.strings("exhausted") ?? [], place: section.path("exhausted"))
        section.rejectUnknownKeys()
        return policy
    }

    private static func check(_ target: EscalationTarget, people: [Person], rota: Rota) -> String? {
        switch target {
        case .person(let id):
            return people.contains { $0.id == id } ? nil : "unknown person \"\(id)\" in \"\(target)\""
        case .rotation(let id):
            return rota.rotations[id] == nil ? "unknown rotation \"\(id)\" in \"\(target)\"" : nil
        case .schedule(let id):
            return rota.schedules[id] == nil ? "unknown schedule \"\(id)\" in \"\(target)\"" : nil
        case .rotationBackup(let id), .scheduleBackup(let id):
            let kind = if case .rotationBackup = target { "rotation" } else { "schedule" }
            let exists = kind == "rotation" ? rota.rotations[id] != nil : rota.schedules[id] != nil
            guard exists else { return "unknown \(kind) \"\(id)\" in \"\(target)\"" }
            return rota.backup(of: id) == nil ? "\(kind) \"\(id)\" has no backup for \"\(target)\"" : nil
        }
    }

    private static func readRequesters(_ sections: [TableReader], sink: IssueSink) -> [Config.Requester] {
        var requesters: [Config.Requester] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "requester")
            if let id { seen.append(id) }
            let hash = section.string("token_sha256", required: true)?.lowercased()
            if let hash, hash.count != 64 || !hash.allSatisfy(\.isHexDigit) {
                section.issue("token_sha256", "must be 64 hex digits (sha256sum of the token), not \"\(hash.prefix(80))\"")
            }
            section.rejectUnknownKeys()
            if let id, let hash, hash.count == 64, hash.allSatisfy(\.isHexDigit) {
                requesters.append(Config.Requester(id: id, tokenSHA256: hash))
            }
        }
        return requesters
    }

    /// Reads `id`: required, unique, and made of letters, digits, `-` and `_`.
    private static func identifier(_ section: TableReader, taken: [String], what: String) -> String? {
        guard let id = section.string("id", required: true) else { return nil }
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            section.issue("id", "\"\(id)\" must be letters, digits, - or _")
            return nil
        }
        if taken.contains(id) {
            section.issue("id", "duplicate \(what) id \"\(id)\"")
            return nil
        }
        return id
    }
}
