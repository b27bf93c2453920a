import Foundation

/// Set by `.ci/run` (and by `CI`): a real service a test needs that is missing is a failure,
/// not a skip. On a developer's laptop without root, such tests may skip.
let integrationRequired: Bool = {
    let environment = ProcessInfo.processInfo.environment
    return environment["CRISISD_INTEGRATION"] == "1" || ["true", "1"].contains(environment["CI"] ?? "")
}()
