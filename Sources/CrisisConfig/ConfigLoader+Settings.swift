import CrisisCore
import Foundation

/// The daemon's own settings: `[http]`, `[control]`, `[clocks]` and `[delivery]`.
extension ConfigLoader {
    static func readHTTP(_ section: TableReader?, root: TableReader) -> Config.HTTP {
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
            let linkSpan = section.span("ack_link_valid_for", default: TimeSpan(seconds: 24 * 3600))
            if (300...(30 * 86_400)).contains(linkSpan.seconds) {
                http.ackLinkValidFor = linkSpan.seconds
            } else {
                section.issue("ack_link_valid_for", "must be between 5m and 30d")
            }
            if let limit = section.int("max_connections") {
                // Below the unit's LimitNOFILE=16384, with room for SQLite, libcurl and the control socket.
                if (4...15000).contains(limit) {
                    http.maxConnections = limit
                } else {
                    section.issue("max_connections", "must be between 4 and 15000, not \(limit)")
                }
            }
            if let hash = section.string("metrics_token_sha256")?.lowercased() {
                if hash.count == 64 && hash.allSatisfy(\.isHexDigit) {
                    http.metricsTokenSHA256 = hash
                } else {
                    section.issue(
                        "metrics_token_sha256", "must be 64 hex digits (sha256sum of the token Prometheus sends)")
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
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        return (host, port)
    }

    static func readControl(_ section: TableReader?) -> String {
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

    static func readDelivery(_ section: TableReader?) -> Config.Delivery {
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
        if let burst = section.int("recipient_burst") {
            if (1...100).contains(burst) {
                delivery.perRecipient.burst = burst
            } else {
                section.issue("recipient_burst", "must be between 1 and 100, not \(burst)")
            }
        }
        delivery.perRecipient.interval =
            section.span("recipient_interval", default: TimeSpan(seconds: delivery.perRecipient.interval)).seconds
        if delivery.perRecipient.interval > 3600 {
            section.issue("recipient_interval", "must be at most 1h: a held page waits this long")
        }
        if delivery.retry.maxBackoff < delivery.retry.initialBackoff {
            section.issue("backoff_max", "must not be shorter than backoff_initial")
        }
        section.rejectUnknownKeys()
        return delivery
    }
}
