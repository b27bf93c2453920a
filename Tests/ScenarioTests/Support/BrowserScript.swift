import CrisisTesting
import Foundation

/// Runs a Python Selenium script (a headless Chromium) with `TMPDIR` in a folder of its own,
/// removed after: Chromium leaves `org.chromium.Chromium.*` folders in the temporary directory.
func runBrowserScript(_ script: String, _ arguments: [String]) throws -> CommandResult {
    let scratch = TestFolder.unique("chromium")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    return try runCommand(
        URL(fileURLWithPath: "/usr/bin/env"), ["TMPDIR=\(scratch.path)", "python3", "-c", script] + arguments)
}
