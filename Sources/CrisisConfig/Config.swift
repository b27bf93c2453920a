import CrisisCore
import Foundation

/// The whole of crisisd's configuration, checked: both executables load it through `ConfigLoader`.
public struct Config: Sendable {
    public struct HTTP: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var publicURL: String
        public var maxBodyBytes: Int
        /// How long a connection may send nothing (or stall mid-request) before it is closed.
        public var idleTimeout: TimeInterval = 30
        /// How many TCP connections the listener holds open at once; more wait to be accepted.
        public var maxConnections: Int = 4096
        /// How long a page's acknowledgement link works (at most: it ends with the crisis).
        public var ackLinkValidFor: TimeInterval = 24 * 3600
        /// Lower-case hex SHA-256 of the bearer token `GET /metrics` asks for; nil leaves it open,
        /// as a Prometheus exporter usually is.
        public var metricsTokenSHA256: String? = nil
    }

    public struct Delivery: Sendable, Equatable {
        public var retry: RetryPolicy
        /// How long one webhook attempt may take, connection included.
        public var timeout: TimeInterval
        /// How many messages one person gets on one channel at once, and how often after that.
        public var perRecipient = RecipientRateLimit.Policy()
    }

    public struct Requester: Sendable, Equatable {
        public var id: String
        /// Lower-case hex SHA-256 of each bearer token that works for it: the tokens themselves
        /// are never stored. Two during a rotation, so the new one works before the old one goes.
        public var tokenSHA256s: [String]
        /// The requester roles it may raise crises as; nil for all of them.
        public var roles: [RequesterRole]?
        /// The channel (sms, email or console) on which the leader hears back: a receipt, then who
        /// has the case. An sms channel texts the crisis's call-back number; an email channel
        /// mails `email`.
        public var notify: String?
        /// The requester's mailbox, for an email `notify` channel.
        public var email: String?
        /// Whether drills get receipts too; by default they do not.
        public var notifyDrills: Bool

        public init(
            id: String, tokenSHA256s: [String], roles: [RequesterRole]? = nil, notify: String? = nil,
            email: String? = nil, notifyDrills: Bool = false
        ) {
            self.id = id
            self.tokenSHA256s = tokenSHA256s
            self.roles = roles
            self.notify = notify
            self.email = email
            self.notifyDrills = notifyDrills
        }

        /// Whether it may raise a crisis as `role`.
        public func may(raiseAs role: RequesterRole) -> Bool { roles?.contains(role) ?? true }

        /// The channel for a crisis's receipts, if it gets any.
        public func receiptChannel(drill: Bool) -> String? { drill && !notifyDrills ? nil : notify }
    }

    /// The requester a source such as `requester:albertslund` names, if any.
    public func requester(source: String) -> Requester? {
        guard source.hasPrefix("requester:") else { return nil }
        let id = source.dropFirst("requester:".count)
        return requesters.first { $0.id == id }
    }

    public var timeZone: TimeZone
    public var stateDir: String
    public var http: HTTP
    public var controlSocket: String
    public var clocks: ClockPolicy
    public var delivery: Delivery
    public var people: [Person]
    public var channels: [Channel]
    public var rotations: [Rotation]
    public var schedules: [Schedule]
    /// Cover written in the file; the daemon adds those written with `crisisctl rota cover`.
    public var overrides: [RotaOverride]
    public var escalation: EscalationPolicy
    public var requesters: [Requester]
    /// The outside dead-man's switch crisisd pings while healthy; nil for none.
    public var heartbeat: Heartbeat? = nil

    /// `[heartbeat]`: a URL (healthchecks.io style) that crisisd GETs every `interval` while it
    /// is healthy, so that someone else notices when it stops.
    public struct Heartbeat: Sendable, Equatable {
        public var url: String
        public var interval: TimeInterval
        /// How long one ping may take.
        public var timeout: TimeInterval

        public init(url: String, interval: TimeInterval, timeout: TimeInterval) {
            self.url = url
            self.interval = interval
            self.timeout = timeout
        }
    }

    public var rota: Rota {
        Rota(timeZone: timeZone, rotations: rotations, schedules: schedules, people: people, overrides: overrides)
    }

    /// The rota with more overrides after the file's (they win where they overlap).
    public func rota(adding extra: [RotaOverride]) -> Rota {
        Rota(
            timeZone: timeZone, rotations: rotations, schedules: schedules, people: people, overrides: overrides + extra
        )
    }

    public func person(_ id: String) -> Person? { people.first { $0.id == id } }

    public func channel(_ id: String) -> Channel? { channels.first { $0.id == id } }

    /// The SQLite file inside `state_dir`.
    public var databasePath: String { (stateDir as NSString).appendingPathComponent("crisisd.sqlite") }
}
