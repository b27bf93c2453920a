import CrisisCore
import Foundation

/// `[heartbeat]`: the outside dead-man's switch.
extension ConfigLoader {
    static func readHeartbeat(_ section: TableReader?) -> Config.Heartbeat? {
        guard let section else { return nil }
        defer { section.rejectUnknownKeys() }
        let url = section.string("url", required: true)
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url)?.host == nil {
            // The URL itself may carry the check's secret: name the fault, not the value.
            section.issue("url", "must be an http:// or https:// URL with a host")
        }
        let interval = section.span("interval", default: TimeSpan(seconds: 60)).seconds
        if !(1...86_400).contains(interval) {
            section.issue("interval", "must be between 1s and 1d")
        }
        let timeout = section.span("timeout", default: TimeSpan(seconds: min(10, interval))).seconds
        if !(0.1...60).contains(timeout) || timeout > interval {
            section.issue("timeout", "must be between 100ms and 1m, and not longer than interval")
        }
        guard let url else { return nil }
        return Config.Heartbeat(url: url, interval: interval, timeout: timeout)
    }
}
