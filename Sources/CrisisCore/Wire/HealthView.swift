/// `GET /healthz`: 200 with `status` "ok" while crisisd is healthy (with `warnings`, such as a
/// refused reload, that need a look but not a page); 503 with `status` "degraded" and each
/// `problems` entry naming its check (`engine`, `store`, `commits`) and what is wrong.
public struct HealthView: Codable, Sendable, Equatable {
    public var status: String
    public var version: String
    public var problems: [HealthVerdict.Problem]
    public var warnings: [HealthVerdict.Problem]

    public init(
        status: String, version: String, problems: [HealthVerdict.Problem] = [], warnings: [HealthVerdict.Problem] = []
    ) {
        self.status = status
        self.version = version
        self.problems = problems
        self.warnings = warnings
    }

    public init(_ verdict: HealthVerdict, version: String) {
        self.init(
            status: verdict.isHealthy ? "ok" : "degraded", version: version, problems: verdict.problems,
            warnings: verdict.warnings)
    }
}
