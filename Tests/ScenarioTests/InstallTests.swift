import Foundation
import Testing

/// Deploy/install.sh and Deploy/uninstall.sh, run into a temporary root as an operator would run
/// them on a server, and the unit they install checked by systemd's own analyzer.
@Suite struct InstallTests {
    static let repository = SystemdUnitTests.repositoryRoot

    static var available: Bool {
        getuid() == 0
            && [
                "/usr/bin/systemd-analyze", "/usr/bin/systemd-sysusers", "/usr/bin/systemd-tmpfiles",
                "/usr/bin/unshare",
            ]
            .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A fresh root to install into, removed by `cleanUp`.
    struct Root {
        let path = NSTemporaryDirectory() + "crisisd-root-\(UUID().uuidString.prefix(8))"

        func run(_ script: String, _ arguments: [String] = []) throws -> CommandResult {
            try runCommand(
                URL(fileURLWithPath: "/bin/bash"),
                [InstallTests.repository + "/Deploy/" + script, "--root", path] + arguments, timeout: 120)
        }

        func install() throws -> CommandResult {
            try run("install.sh", ["--binaries", Binaries.directory.path])
        }

        func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path + file) }

        /// Permission bits, owner and group of a file in the root.
        func mode(_ file: String) throws -> (permissions: Int, owner: Int, group: Int) {
            let attributes = try FileManager.default.attributesOfItem(atPath: path + file)
            return (
                attributes[.posixPermissions] as? Int ?? -1, (attributes[.ownerAccountID] as? NSNumber)?.intValue ?? -1,
                (attributes[.groupOwnerAccountID] as? NSNumber)?.intValue ?? -1
            )
        }

        /// The gid systemd-sysusers gave group crisisd in this root's /etc/group.
        func crisisdGroup() throws -> Int? {
            let groups = try String(contentsOfFile: path + "/etc/group", encoding: .utf8)
            for line in groups.split(separator: "\n") {
                let fields = line.split(separator: ":", omittingEmptySubsequences: false)
                if fields.count > 2 && fields[0] == "crisisd" { return Int(fields[2]) }
            }
            return nil
        }

        func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
    }

    func requireTools() -> Bool {
        guard Self.available else {
            // On a developer's laptop without root this may skip; .ci/run sets CRISISD_INTEGRATION and must not.
            #expect(
                !integrationRequired,
                "CRISISD_INTEGRATION is set: root, systemd-analyze, systemd-sysusers, systemd-tmpfiles and unshare are needed"
            )
            return false
        }
        return true
    }

    @Test func installPutsEachFileInPlaceWithItsModeAndKeepsAnEditedConfigOnTheNextRun() throws {
        guard requireTools() else { return }
        let root = Root()
        defer { root.cleanUp() }
        let first = try root.install()
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("systemctl not called"), "\(first.stdout)")

        let group = try #require(try root.crisisdGroup(), "install.sh made the group crisisd")
        let passwd = try String(contentsOfFile: root.path + "/etc/passwd", encoding: .utf8)
        #expect(passwd.contains("crisisd:x:"), "install.sh made the user crisisd: \(passwd)")
        let expected: [(file: String, permissions: Int, group: Int)] = [
            ("/usr/local/bin/crisisd", 0o755, 0),
            ("/usr/local/bin/crisisctl", 0o755, 0),
            ("/etc/systemd/system/crisisd.service", 0o644, 0),
            ("/etc/sysusers.d/crisisd.conf", 0o644, 0),
            ("/etc/tmpfiles.d/crisisd.conf", 0o644, 0),
            // The config holds webhook secrets: root and group crisisd only.
            ("/etc/crisisd", 0o750, group),
            ("/etc/crisisd/crisisd.toml", 0o640, group),
            ("/usr/local/share/man/man8/crisisd.8", 0o644, 0),
            ("/usr/local/share/man/man1/crisisctl.1", 0o644, 0),
            ("/usr/local/share/doc/crisisd/Runbooks/README.md", 0o644, 0),
            ("/usr/local/share/doc/crisisd/Runbooks/alerts", 0o755, 0),
        ]
        for (file, permissions, group) in expected {
            guard root.exists(file) else {
                Issue.record("install.sh did not install \(file)")
                continue
            }
            let mode = try root.mode(file)
            #expect(
                mode.permissions == permissions && mode.owner == 0 && mode.group == group,
                "\(file): mode \(String(mode.permissions, radix: 8)) \(mode.owner):\(mode.group)")
        }
        // The catalog is installed, and journalctl's index of it rebuilt, when the source tree has one.
        let hasCatalog = FileManager.default.fileExists(atPath: Self.repository + "/Deploy/crisisd.catalog")
        #expect(root.exists("/usr/local/lib/systemd/catalog/crisisd.catalog") == hasCatalog)
        #expect(root.exists("/var/lib/systemd/catalog/database") == hasCatalog)

        // The installed config works under the unit as it is: its state goes where systemd makes room.
        let config = root.path + "/etc/crisisd/crisisd.toml"
        let installed = try String(contentsOfFile: config, encoding: .utf8)
        #expect(!installed.contains("\n" + #"state_dir = ".state""#), "no state in the working folder")
        #expect(!installed.contains("\n" + #"socket = ".state/control.sock""#))
        let check = try runCommand(Binaries.crisisctl, ["check-config", "--config", config])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let edited = installed + "\n# edited by the operator\n"
        try edited.write(toFile: config, atomically: true, encoding: .utf8)
        let second = try root.install()
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("kept the existing"), "\(second.stdout)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == edited, "a second run keeps the edited config")
        #expect(try root.crisisdGroup() == group, "the second run reuses the group")
    }

    @Test func uninstallRemovesWhatInstallPutButKeepsTheStateAndTheConfig() throws {
        guard requireTools() else { return }
        let root = Root()
        defer { root.cleanUp() }
        #expect(try root.install().status == 0)
        // What the daemon would have written meanwhile.
        try FileManager.default.createDirectory(
            atPath: root.path + "/var/lib/crisisd", withIntermediateDirectories: true)
        try "journal".write(toFile: root.path + "/var/lib/crisisd/crisisd.sqlite", atomically: true, encoding: .utf8)

        let uninstall = try root.run("uninstall.sh")
        #expect(uninstall.status == 0, "\(uninstall.stdout)\(uninstall.stderr)")
        #expect(uninstall.stdout.contains("kept the state"), "\(uninstall.stdout)")
        for file in [
            "/usr/local/bin/crisisd", "/usr/local/bin/crisisctl", "/etc/systemd/system/crisisd.service",
            "/etc/sysusers.d/crisisd.conf", "/etc/tmpfiles.d/crisisd.conf", "/usr/local/share/man/man8/crisisd.8",
            "/usr/local/share/man/man1/crisisctl.1", "/usr/local/share/doc/crisisd",
            "/usr/local/lib/systemd/catalog/crisisd.catalog",
        ] {
            #expect(!root.exists(file), "\(file) is left after uninstall.sh")
        }
        #expect(root.exists("/var/lib/crisisd/crisisd.sqlite"), "the journal of every crisis stays")
        #expect(root.exists("/etc/crisisd/crisisd.toml"), "the config stays")

        let again = try root.run("uninstall.sh")
        #expect(again.status == 0, "a second uninstall.sh does no harm: \(again.stdout)\(again.stderr)")
    }

    /// `systemd-analyze verify` checks that ExecStart='s programs and Documentation='s man pages
    /// exist: it runs on the installed unit, with the installed binaries and man pages seen at
    /// the paths the unit names (bind mounts in a private mount namespace).
    @Test func theInstalledUnitPassesSystemdAnalyzeVerify() throws {
        guard requireTools() else { return }
        let root = Root()
        defer { root.cleanUp() }
        #expect(try root.install().status == 0)
        let script = """
            set -e
            mount --make-rprivate /
            mount --bind \(root.path)/usr/local/bin /usr/local/bin
            MANPATH=\(root.path)/usr/local/share/man systemd-analyze verify \(root.path)/etc/systemd/system/crisisd.service
            echo verified
            """
        let result = try runCommand(URL(fileURLWithPath: "/usr/bin/unshare"), ["-m", "bash", "-c", script])
        #expect(result.stdout.contains("verified"), "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "systemd-analyze verify warns: \(result.stderr)")
    }

    @Test func theShippedUnitsExposureIsAtMostOnePointTwo() throws {
        guard requireTools() else { return }
        let result = try runCommand(
            URL(fileURLWithPath: "/usr/bin/systemd-analyze"),
            ["security", "--offline=true", "--no-pager", Self.repository + "/Deploy/crisisd.service"])
        let summary = try #require(
            result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") },
            "\(result.stdout)\(result.stderr)")
        let level = try #require(
            summary.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(summary)")
        #expect(level <= 1.2, "\(summary)")
    }
}
