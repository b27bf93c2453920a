import Foundation

/// What a finished command printed and how it exited.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The signal that ended it (SIGABRT for an assertion), or nil when it exited.
    var signal: Int32? = nil
}

/// Runs a program to completion with its output captured. A program still running after
/// `timeout` seconds is killed and the test fails with what it printed: no command may hang the run.
func runCommand(
    _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, timeout: TimeInterval = 60
) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let overrun = Locked(false)
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem {
        overrun.withLock { $0 = true }
        kill(pid, SIGKILL)
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    watchdog.cancel()
    let result = CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self),
        signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil)
    if overrun.value {
        throw TestFailure(
            "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) still ran after \(timeout) s and was "
                + "killed; it printed:\n\(result.stdout.suffix(2000))\n\(result.stderr.suffix(2000))")
    }
    return result
}

extension Process {
    /// Waits at most `timeout` seconds for the process to end; false if it is still running.
    func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date() + timeout
        while isRunning {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }
}

/// Every thread's stack in a running process, by gdb, for a test that found it stuck: the one
/// clue a hang leaves. Empty when gdb is missing or cannot attach.
func threadStacks(of pid: Int32) -> String {
    let gdb = URL(fileURLWithPath: "/usr/bin/gdb")
    guard FileManager.default.isExecutableFile(atPath: gdb.path),
        let result = try? runCommand(
            gdb, ["-p", "\(pid)", "-batch", "-nx", "-ex", "thread apply all bt 12"], timeout: 60)
    else { return "" }
    // gdb's own chatter (symbol loading, "[New LWP …]") is noise here; the frames are the story.
    return result.stdout.split(separator: "\n").filter { $0.hasPrefix("Thread ") || $0.hasPrefix("#") }
        .map { $0.prefix(220) }.joined(separator: "\n")
}
