import Foundation
import Testing

/// A machine short of threads (a pids limit reached, memory tight) slows crisisd down but must
/// not silence it: a page whose request cannot get a thread of its own still goes out, and a stop
/// still ends. Seen as a hang before: the request waited for a thread that was never started.
@Suite struct ThreadLimitTests {
    /// Needs root and cgroup v1's pids controller (this machine kind has both); elsewhere the
    /// run reports it skipped.
    @Test(.enabled(if: PidsCgroup.available, "needs a writable cgroup v1 pids controller (root)"))
    func aPageStillGoesOutAndTheDaemonStillStopsWhenNoNewThreadCanBeStarted() async throws {
        let cgroup = try #require(try PidsCgroup.make())
        defer { cgroup.remove() }
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        // A first page, so the daemon has the threads it keeps (its dispatch and I/O threads).
        _ = try await scenario.raise()
        #expect(await scenario.receiver.waitFor(1).count == 1)
        try await Task.sleep(for: .milliseconds(300))

        let pid = try #require(scenario.daemon.processIdentifier)
        try cgroup.confine(pid)  // from here, no new thread: pids.max is what it runs now
        // Pages held open at once, more than the threads left idle by the first page: some
        // cannot get a thread of their own.
        scenario.receiver.hold(.seconds(1))
        var references: [String] = []
        for _ in 0..<8 {
            references.append(try #require(try await scenario.raise()["reference"] as? String))
        }
        let pages = await scenario.receiver.waitFor(9, timeout: 20)
        cgroup.release(pid)
        let paged = Set(pages.compactMap { $0.json["reference"] as? String })
        #expect(
            references.allSatisfy(paged.contains),
            "the page of a crisis raised while no thread could start never went out:\n\(scenario.daemon.log.suffix(3000))"
        )
    }
}

/// A pids cgroup (v1) of the test's own: a process moved into it can start no new thread or
/// process beyond the count it has.
struct PidsCgroup {
    let path: URL

    static var available: Bool { FileManager.default.isWritableFile(atPath: "/sys/fs/cgroup/pids") }

    static func make() throws -> PidsCgroup? {
        let root = URL(fileURLWithPath: "/sys/fs/cgroup/pids")
        guard FileManager.default.isWritableFile(atPath: root.path) else { return nil }
        let own =
            ((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "").split(separator: "\n")
            .first { $0.contains(":pids:") }.map { String($0.split(separator: ":", maxSplits: 2)[2]) } ?? "/"
        let path = root.appendingPathComponent(own).appendingPathComponent(
            "crisisd-test-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: false)
        } catch {
            return nil
        }
        return PidsCgroup(path: path)
    }

    func confine(_ pid: Int32) throws {
        try "max".write(to: path.appendingPathComponent("pids.max"), atomically: false, encoding: .utf8)
        try "\(pid)".write(to: path.appendingPathComponent("cgroup.procs"), atomically: false, encoding: .utf8)
        let current = try String(contentsOf: path.appendingPathComponent("pids.current"), encoding: .utf8)
        try current.trimmingCharacters(in: .whitespacesAndNewlines).write(
            to: path.appendingPathComponent("pids.max"), atomically: false, encoding: .utf8)
    }

    /// Lifts the limit, so that the daemon can stop as it normally would.
    func release(_ pid: Int32) {
        try? "max".write(to: path.appendingPathComponent("pids.max"), atomically: false, encoding: .utf8)
    }

    /// Moves what is left back to the parent group and removes the group.
    func remove() {
        let parent = path.deletingLastPathComponent()
        let procs = (try? String(contentsOf: path.appendingPathComponent("cgroup.procs"), encoding: .utf8)) ?? ""
        for pid in procs.split(separator: "\n") {
            try? String(pid).write(
                to: parent.appendingPathComponent("cgroup.procs"), atomically: false, encoding: .utf8)
        }
        rmdir(path.path)
    }
}
