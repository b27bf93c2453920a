import CrisisCore
import Foundation

extension ConfigLoader {
    /// For a CLI that must still reach the daemon when someone has broken the file since the
    /// daemon read it: the socket, time zone and public URL as written (or their defaults), and
    /// the people with a phone number, so that a leader who cannot reach the daemon still has
    /// someone to phone. Nil when the file cannot be read, or is not TOML at all and
    /// `salvagingBrokenTOML` is false; when it is true such a file is read line by line for the
    /// same things.
    public static func essentials(path: String, salvagingBrokenTOML: Bool = false) -> Config? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let found: ConfigSalvage
        if let table = try? TOMLParser.parse(text) {
            found = ConfigSalvage(table)
        } else if salvagingBrokenTOML {
            found = ConfigSalvage(scanning: text)
        } else {
            return nil
        }
        let zone = found.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        return Config(
            timeZone: zone, stateDir: found.stateDir ?? "/var/lib/crisisd",
            http: .init(host: "127.0.0.1", port: 8470, publicURL: "http://127.0.0.1:8470", maxBodyBytes: 64 * 1024),
            controlSocket: found.socket ?? "/run/crisisd/control.sock", clocks: ClockPolicy(),
            delivery: .init(retry: RetryPolicy(), timeout: 10), people: found.people, channels: [], rotations: [],
            schedules: [], overrides: [], escalation: EscalationPolicy(steps: []), requesters: [])
    }
}
