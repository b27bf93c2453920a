import Foundation

/// Counts the `fsync` and `fdatasync` calls a running process makes while `work` runs, with
/// strace attached to all its threads: whether a commit reaches the disk, seen from outside.
func countSyncs(of pid: Int32, in folder: URL, during work: () async throws -> Void) async throws -> Int {
    let trace = folder.appendingPathComponent("strace-\(UUID().uuidString.prefix(6)).txt")
    let messages = folder.appendingPathComponent("strace-\(UUID().uuidString.prefix(6)).err")
    _ = FileManager.default.createFile(atPath: messages.path, contents: nil)
    let strace = Process()
    // A child inherits the spawning thread's signal mask, and the test's threads block SIGINT:
    // strace would then never hear it. Python clears the mask before it becomes strace.
    strace.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    strace.arguments = [
        "-c",
        "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
        "/usr/bin/strace", "-f", "-e", "trace=fsync,fdatasync", "-o", trace.path, "-p", String(pid),
    ]
    strace.standardError = try FileHandle(forWritingTo: messages)
    strace.standardOutput = FileHandle.nullDevice
    try strace.run()
    defer {
        if strace.isRunning {
            strace.interrupt()
            if !strace.waitForExit(timeout: 20) { kill(strace.processIdentifier, SIGKILL) }
        }
    }
    // strace says "Process N attached" for each thread it has hold of; before that, syncs go unseen.
    let attached = await eventually(timeout: 10) {
        ((try? String(contentsOf: messages, encoding: .utf8)) ?? "").contains("attached")
    }
    guard attached, strace.isRunning else {
        throw TestFailure("strace did not attach: \((try? String(contentsOf: messages, encoding: .utf8)) ?? "")")
    }
    try await work()
    strace.interrupt()
    guard strace.waitForExit(timeout: 20) else {
        throw TestFailure("strace did not end within 20 s of SIGINT")
    }
    let lines = ((try? String(contentsOf: trace, encoding: .utf8)) ?? "").split(separator: "\n")
    return lines.filter { $0.contains("fsync(") || $0.contains("fdatasync(") }.count
}
