import Foundation
import Testing

/// The shipped unit under a real systemd manager: a user manager in a private mount namespace
/// (see ../shared/TESTING.md). Readiness, reload, restart after a kill, and a clean stop.
/// One at a time: two user managers share the machine's cgroup tree, and a unit of the same name
/// in both is one cgroup, so one manager would stop or count the other's daemon.
@Suite(.serialized) struct SystemdUnitTests {
    /// The directives of Deploy/crisisd.service that a user manager can apply, with the paths of
    /// this build. Sandboxing and User= need the system manager; `systemd-analyze` checks those.
    /// - Parameters:
    ///   - watchdog: a `WatchdogSec=` of the test's own instead of the shipped one.
    ///   - environment: `Environment=` assignments for the daemon.
    /// Shell lines (for `unshare --mount`, as TESTING.md shows) that start a systemd user manager
    /// in a private mount namespace, install `unit` as crisisd.service and start it: `start=`
    /// prints systemctl's exit code, `$manager` is the manager's PID and `show PROPERTY` reads the
    /// unit's properties.
    static func startManager(unit: String, log: String) -> String {
        """
        set -u
        mount --make-rprivate /
        mount -t tmpfs tmpfs /run/systemd
        mount -t tmpfs tmpfs /run/user
        mkdir -p /run/systemd/system /run/user/0/systemd/user
        export XDG_RUNTIME_DIR=/run/user/0
        cp \(unit) /run/user/0/systemd/user/crisisd.service
        /lib/systemd/systemd --user >\(log) 2>&1 &
        manager=$!
        for i in $(seq 50); do systemctl --user is-system-running >/dev/null 2>&1 && break; sleep 0.1; done
        show() { systemctl --user show crisisd.service -p "$1" --value; }
        systemctl --user start crisisd.service; echo "start=$?"
        """
    }

    static func unit(config: String, watchdog: String? = nil, environment: [String] = []) throws -> String {
        let shipped = try String(contentsOfFile: repositoryRoot + "/Deploy/crisisd.service", encoding: .utf8)
        let kept = [
            "Type=", "NotifyAccess=", "ExecStartPre=", "ExecStart=", "ExecReload=", "Restart=", "RestartSec=",
            "LimitNOFILE=", "WatchdogSec=", "TimeoutAbortSec=",
        ]
        var lines: [String] = []
        for line in shipped.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "[Service]" {
                lines.append(line)
                lines += environment.map { "Environment=\($0)" }
            } else if let watchdog, line.hasPrefix("WatchdogSec=") {
                lines.append("WatchdogSec=\(watchdog)")
            } else if line.hasPrefix("[") || kept.contains(where: { line.hasPrefix($0) }) {
                lines.append(
                    line.replacingOccurrences(of: "/usr/local/bin/", with: Binaries.directory.path + "/")
                        .replacingOccurrences(of: "/etc/crisisd/crisisd.toml", with: config))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
    }

    @Test func theShippedUnitStartsOnReadinessReloadsRestartsAfterAKillAndStops() throws {
        guard Self.available else {
            // On a developer's laptop without root this may skip; .ci/run sets CRISISD_INTEGRATION and must not.
            #expect(
                !integrationRequired,
                "CRISISD_INTEGRATION is set: root, unshare and systemd are needed to test the unit")
            return
        }
        let daemon = try TestDaemon(config: RotaTests.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        let unitPath = daemon.folder.appendingPathComponent("crisisd.service").path
        try Self.unit(config: daemon.configPath).write(toFile: unitPath, atomically: true, encoding: .utf8)
        #expect(try String(contentsOfFile: unitPath, encoding: .utf8).contains("ExecReload="))

        let ctl = "CRISISD_CONFIG=\(daemon.configPath) \(Binaries.crisisctl.path)"
        let script = """
            \(Self.startManager(unit: unitPath, log: daemon.folder.appendingPathComponent("manager.log").path))
            echo "active=$(show ActiveState)"
            echo "status=$(show StatusText)"
            echo "watchdog=$(show WatchdogUSec)"
            echo "nofile=$(grep 'Max open files' /proc/$(show MainPID)/limits | awk '{print $4}')"
            \(ctl) trigger --category violence --site Depot --callback +4512345678 >/dev/null; echo "trigger=$?"
            systemctl --user reload crisisd.service; echo "reload=$?"
            \(ctl) journal | grep -c config.reloaded | sed 's/^/reloaded=/'
            cp \(daemon.configPath) \(daemon.configPath).good
            echo 'timezone = "Mars/Olympus"' >> \(daemon.configPath)
            systemctl --user reload crisisd.service 2>/dev/null; echo "broken-reload=$?"
            echo "after-broken=$(show ActiveState)"
            \(Binaries.crisisctl.path) status --config \(daemon.configPath).good | grep -c 'violence at Depot' \
                | sed 's/^/old-config=/'
            cp \(daemon.configPath).good \(daemon.configPath)
            kill -9 "$(show MainPID)"
            for i in $(seq 50); do [ "$(show NRestarts)" = 1 ] && [ "$(show ActiveState)" = active ] && break; sleep 0.1; done
            echo "restarts=$(show NRestarts)"
            echo "after-kill=$(show ActiveState)"
            \(ctl) status | grep -c 'violence at Depot' | sed 's/^/kept=/'
            systemctl --user stop crisisd.service
            echo "stopped=$(show ActiveState)"
            kill $manager
            """
        let result = try runCommand(URL(fileURLWithPath: "/usr/bin/unshare"), ["-m", "bash", "-c", script])
        let report = result.stdout + result.stderr
        #expect(report.contains("start=0"), "\(report)")
        #expect(report.contains("active=active"))
        #expect(report.contains("status=0 open crises; on duty: Anna Holm"), "STATUS= from sd_notify: \(report)")
        #expect(report.contains("watchdog=30s"), "the shipped WatchdogSec=: \(report)")
        #expect(report.contains("nofile=16384"), "LimitNOFILE= reached the daemon: \(report)")
        #expect(report.contains("trigger=0"))
        #expect(report.contains("reload=0"))
        #expect(report.contains("reloaded=1"), "ExecReload reached the daemon: \(report)")
        // A broken file fails the reload (ExecReload's check-config) and the old config stays in force.
        #expect(report.contains("broken-reload=1"), "\(report)")
        #expect(report.contains("after-broken=active"), "\(report)")
        #expect(report.contains("old-config=1"), "crisisd still serves on the old config: \(report)")
        #expect(report.contains("restarts=1"), "Restart=always brought it back: \(report)")
        #expect(report.contains("after-kill=active"))
        #expect(report.contains("kept=1"), "the crisis raised before the kill is still there")
        #expect(report.contains("stopped=inactive"))
    }

    @Test func aStalledEngineStopsTheWatchdogPingsAndSystemdRestartsItWithNothingLost() throws {
        guard Self.available else {
            #expect(
                !integrationRequired,
                "CRISISD_INTEGRATION is set: root, unshare and systemd are needed to test the unit")
            return
        }
        let daemon = try TestDaemon(config: RotaTests.chiefs(["anna"]))
        defer { daemon.cleanUp() }
        let stall = daemon.folder.appendingPathComponent("stall").path
        let unitPath = daemon.folder.appendingPathComponent("crisisd.service").path
        // A short watchdog keeps the test to seconds: the engine is found stalled after
        // HealthMonitor.stallAfter (10 s), and systemd kills it 3 s after the last ping.
        try Self.unit(
            config: daemon.configPath, watchdog: "3s",
            environment: [
                // The backtrace the shipped unit waits TimeoutAbortSec= for is slow in a debug build.
                "CRISISD_DEBUG_STALL_ENGINE_FILE=\(stall)", "SWIFT_BACKTRACE=enable=no",
            ]
        ).write(toFile: unitPath, atomically: true, encoding: .utf8)

        let ctl = "CRISISD_CONFIG=\(daemon.configPath) \(Binaries.crisisctl.path)"
        let script = """
            \(Self.startManager(unit: unitPath, log: daemon.folder.appendingPathComponent("manager.log").path))
            ref=$(\(ctl) trigger --category violence --site Depot --callback +4512345678 --json \\
                | sed -n 's/.*"reference" *: *"\\(CR-[A-Z0-9]*\\)".*/\\1/p' | head -1)
            echo "ref=$ref"
            before=$(\(ctl) status "$ref" --json | grep -o '"due_at" *: *"[^"]*"' | sort | tr -d ' \\n')
            sleep 2
            echo "pinged=$(show WatchdogTimestampMonotonic | grep -vc '^0$')"
            touch \(stall)
            for i in $(seq 400); do [ "$(show NRestarts)" -ge 1 ] && break; sleep 0.1; done
            echo "restarts=$(show NRestarts)"
            echo "result=$(show Result)"
            rm -f \(stall)
            for i in $(seq 100); do [ "$(show ActiveState)" = active ] && [ "$(show SubState)" = running ] && break; sleep 0.1; done
            echo "after=$(show ActiveState)"
            after=$(\(ctl) status "$ref" --json | grep -o '"due_at" *: *"[^"]*"' | sort | tr -d ' \\n')
            [ -n "$before" ] && [ "$before" = "$after" ] && echo "clocks=kept"
            \(ctl) status | grep -c "$ref" | sed 's/^/kept=/'
            systemctl --user stop crisisd.service
            kill $manager
            """
        let result = try runCommand(
            URL(fileURLWithPath: "/usr/bin/unshare"), ["-m", "bash", "-c", script], timeout: 120)
        let report = result.stdout + result.stderr
        #expect(report.contains("start=0"), "\(report)")
        #expect(report.contains("ref=CR-"), "\(report)")
        #expect(report.contains("pinged=1"), "WATCHDOG=1 reached systemd while healthy: \(report)")
        #expect(report.contains("restarts=1"), "the watchdog restarted the stalled daemon: \(report)")
        #expect(report.contains("after=active"), "\(report)")
        #expect(report.contains("kept=1"), "the open crisis survived the restart: \(report)")
        #expect(report.contains("clocks=kept"), "its clocks kept their deadlines: \(report)")
    }
}
