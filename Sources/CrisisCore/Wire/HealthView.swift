/// `GET /healthz`.
public struct HealthView: Codable, Sendable, Equatable {
    public var status: String
    public var version: String

    public init(status: String, version: String) {
        self.status = status
        self.version = version
    }
}
