import Foundation
import GRDB
import Testing

/// `crisisctl backup` while crisisd takes crises, and the restore the runbook describes
/// (Runbooks/procedures/restore-the-journal.md), done the same way on a new state folder.
@Suite struct BackupTests {
    @Test func aBackupTakenUnderLoadRestoresIntoANewStateFolderWithEveryCrisisAnsweredBeforeIt() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let daemon = scenario.daemon
        let file = daemon.folder.appendingPathComponent("backup.sqlite").path

        let accepted = Locked<Set<String>>([])
        let loadOver = Locked(false)
        var answeredBeforeBackup: Set<String> = []
        var backup: CommandResult?
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<3 {
                group.addTask {
                    var n = 0
                    while !loadOver.value {
                        n += 1
                        let result = await daemon.request(
                            "POST", "/v1/crises",
                            json: #"{"category":"violence","site":"Site \#(client)-\#(n)","callback":"+4512345678"}"#)
                        if case .success(let reply) = result, reply.status == 201,
                            let reference = reply.json["reference"] as? String
                        {
                            accepted.withLock { _ = $0.insert(reference) }
                        }
                    }
                }
            }
            defer { loadOver.withLock { $0 = true } }
            _ = await eventually(timeout: 20) { accepted.value.count >= 30 }
            answeredBeforeBackup = accepted.value
            backup = try await inBackground { try daemon.ctl(["backup", file]) }
            // The load goes on a moment after the copy, as it would on a live server.
            try await Task.sleep(for: .milliseconds(500))
        }
        let result = try #require(backup)
        #expect(answeredBeforeBackup.count >= 30, "the load was too light to show anything")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("integrity_check: ok"), "\(result.stdout)")
        #expect(
            accepted.value.count > answeredBeforeBackup.count, "crisisd went on taking crises after the backup")

        // The copy, checked here too: sound, one file, readable by its owner only.
        let copy = try DatabaseQueue(path: file, configuration: readOnly())
        #expect(try await copy.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
        #expect(try await copy.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "delete")
        try copy.close()
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the copy holds personal data: mode \(String(mode ?? 0, radix: 8))")

        // Restore as the runbook says, into a new state folder, and start a daemon on it.
        let restored = try TestDaemon(config: Scenario.config(webhookURL: scenario.receiver.url))
        defer { restored.cleanUp() }
        let state = restored.folder.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: file, toPath: restored.databasePath)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: restored.databasePath)
        let check = try restored.ctl(["check-config"])
        #expect(check.status == 0, "\(check.stdout)")
        try await restored.start()

        let status = try restored.ctl(["status", "--json"])
        let open = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]] ?? []
        let shown = Set(open.compactMap { $0["reference"] as? String })
        let lost = answeredBeforeBackup.subtracting(shown)
        #expect(
            lost.isEmpty,
            "\(lost.count) of \(answeredBeforeBackup.count) crises answered 201 before the backup are missing: \(lost.sorted().prefix(5))"
        )
        #expect(
            result.stdout.contains("(\(shown.count) open)"),
            "the backup's count of open crises is what the restored daemon shows (\(shown.count)): \(result.stdout)")
    }

    @Test func anExistingFileIsReplacedOnlyWithForce() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let daemon = scenario.daemon
        let reference = try #require(try await scenario.raise()["reference"] as? String)
        let file = daemon.folder.appendingPathComponent("kept.sqlite").path
        try "an older backup".write(toFile: file, atomically: false, encoding: .utf8)

        let refused = try daemon.ctl(["backup", file])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("\(file) exists; not replacing it"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "an older backup")

        let forced = try daemon.ctl(["backup", file, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("Crises: 1 (1 open)"), "\(forced.stdout)")
        let copy = try DatabaseQueue(path: file, configuration: readOnly())
        let saved = try await copy.read { try String.fetchAll($0, sql: "SELECT reference FROM crisis") }
        #expect(saved == [reference])
        try copy.close()
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: daemon.folder.path)
            .filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    @Test func eachRefusalNamesWhatIsWrongAndWritesNothing() async throws {
        let scenario = try await Scenario.start()
        defer { scenario.stop() }
        let daemon = scenario.daemon
        let folder = daemon.folder.path

        let noFolder = try daemon.ctl(["backup", "\(folder)/missing/backup.sqlite"])
        #expect(noFolder.status == 73)
        #expect(noFolder.stderr.contains("no such directory: \(folder)/missing"), "\(noFolder.stderr)")

        // The state folder as the unit makes it: 0700, the crisisd user's alone.
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o700], ofItemAtPath: daemon.folder.appendingPathComponent("state").path)
        let outsider = try runCommand(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            [
                "--reuid=nobody", "--regid=nogroup", "--clear-groups", Binaries.crisisctl.path, "backup",
                "/tmp/crisisd-backup-by-nobody-\(UUID().uuidString.prefix(8)).sqlite", "--config", daemon.configPath,
            ])
        #expect(outsider.status == 77, "\(outsider.stdout)\(outsider.stderr)")
        #expect(outsider.stderr.contains("not permitted to read \(daemon.databasePath)"), "\(outsider.stderr)")

        let readOnlyFolder = daemon.folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: readOnlyFolder, withIntermediateDirectories: false)
        let unwritable = try runCommand(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            [
                "--reuid=nobody", "--regid=nogroup", "--clear-groups", Binaries.crisisctl.path, "backup",
                readOnlyFolder.appendingPathComponent("b.sqlite").path, "--config", daemon.configPath,
            ])
        #expect(unwritable.status == 77)
        #expect(
            unwritable.stderr.contains("not permitted to write in \(readOnlyFolder.path)"), "\(unwritable.stderr)")

        // A config whose state_dir holds no database: a wrong path, or a daemon that never ran.
        let neverStarted = try TestDaemon(config: Scenario.config(webhookURL: scenario.receiver.url))
        defer { neverStarted.cleanUp() }
        let missing = try neverStarted.ctl(["backup", "\(neverStarted.folder.path)/b.sqlite"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("database not found: \(neverStarted.databasePath)"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(neverStarted.folder.path)/b.sqlite"))
    }

    private func readOnly() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    /// Runs a blocking command off Swift's cooperative pool, so the load's tasks keep their threads.
    private func inBackground<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
