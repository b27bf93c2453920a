import CrisisCore
import Foundation

/// Loads and checks a config file. `crisisctl check-config`, the daemon's start and its reload
/// all go through here, so they agree on what is valid.
public enum ConfigLoader {
    public static let defaultPath = "/etc/crisisd/crisisd.toml"
    public static let environmentVariable = "CRISISD_CONFIG"

    /// `--config PATH`, else `$CRISISD_CONFIG`, else `/etc/crisisd/crisisd.toml`.
    public static func resolvePath(
        _ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
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
            throw ConfigErrors([
                ConfigIssue("line \(error.line)", "not valid TOML (column \(error.column)): \(error.reason)")
            ])
        }
        let sink = IssueSink()
        let config = read(TableReader(table, place: "", sink: sink), sink: sink)
        guard sink.issues.isEmpty, let config else { throw ConfigErrors(sink.issues) }
        return config
    }

    private static func read(_ root: TableReader, sink: IssueSink) -> Config? {
        let zoneName = root.string("timezone") ?? "UTC"
        let timeZone = TimeZone(identifier: zoneName)
        if timeZone == nil {
            root.issue("timezone", "\"\(zoneName)\" is not an IANA time zone (e.g. Europe/Copenhagen)")
        }

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
            root.table("escalation"), root: root, people: people, rota: rota,
            defaultWait: acknowledgementDeadline(clocks))
        let requesters = readRequesters(root.tables("requesters"), channels: channels, sink: sink)
        let heartbeat = readHeartbeat(root.table("heartbeat"))
        root.rejectUnknownKeys()

        guard let timeZone else { return nil }
        return Config(
            timeZone: timeZone, stateDir: stateDir, http: http, controlSocket: socket, clocks: clocks,
            delivery: delivery, people: people, channels: channels, rotations: rotations, schedules: schedules,
            overrides: overrides, escalation: escalation, requesters: requesters, heartbeat: heartbeat)
    }

    /// How long a plain escalation step waits: the deadline of the clock the acknowledgement stops.
    static func acknowledgementDeadline(_ clocks: ClockPolicy) -> TimeInterval {
        guard let rule = clocks.rules.first(where: { $0.stop == .acknowledgement }) else { return 300 }
        switch rule.deadline {
        case .elapsed(let span): return span.seconds
        }
    }

    /// Reads `id`: required, unique, and made of letters, digits, `-` and `_`.
    static func identifier(_ section: TableReader, taken: [String], what: String) -> String? {
        guard let id = section.string("id", required: true) else { return nil }
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
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
