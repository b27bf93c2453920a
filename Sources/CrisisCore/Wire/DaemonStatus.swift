import Foundation

/// `GET /v1/daemon`: what crisisd is running, and whether the last config reload took.
public struct DaemonStatus: Codable, Sendable, Equatable {
    public struct Reload: Codable, Sendable, Equatable {
        public var at: Date
        public var succeeded: Bool
        /// What changed, or every problem of a refused file.
        public var summary: [String]

        public init(at: Date, succeeded: Bool, summary: [String]) {
            self.at = at
            self.succeeded = succeeded
            self.summary = summary
        }
    }

    public var version: String
    public var startedAt: Date
    public var configPath: String
    public var lastReload: Reload?

    public init(version: String, startedAt: Date, configPath: String, lastReload: Reload?) {
        self.version = version
        self.startedAt = startedAt
        self.configPath = configPath
        self.lastReload = lastReload
    }

    enum CodingKeys: String, CodingKey {
        case version
        case startedAt = "started_at"
        case configPath = "config_path"
        case lastReload = "last_reload"
    }
}
