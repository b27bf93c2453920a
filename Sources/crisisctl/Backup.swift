import ArgumentParser
import CrisisConfig
import CrisisSQLite
import Foundation

/// crisisctl takes the copy itself rather than asking the daemon over the socket: under its unit
/// (ProtectSystem=strict, ProtectHome, PrivateTmp) crisisd may write only in its own state folder,
/// and would read FILE in its own mount namespace. Reading the database needs what reading the
/// state folder needs, root or the crisisd user, and FILE can then go wherever that user may write.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy crisisd's database to FILE, also while crisisd runs, and check the copy.",
        discussion: """
            Reads crisisd.sqlite in the config's state_dir (/var/lib/crisisd by default) read-only, \
            through SQLite's backup API: crisisd goes on taking crises while the copy is made, and \
            the copy is one consistent moment of the database. The copy passes PRAGMA \
            integrity_check before it is given FILE's name, so FILE is never half written. It is \
            one file (no -wal beside it), readable by its owner only (mode 0600): it holds the \
            same personal data as the database.

            The state folder is readable by root and the crisisd user only: run it as root, or \
            with sudo -u crisisd. It works whether or not crisisd is running. To restore a copy, \
            see Runbooks/procedures/restore-the-journal.md (in /usr/local/share/doc/crisisd).

            Exit status: 0 done; 66 no database in state_dir; 73 FILE exists (without --force) or \
            its folder does not; 74 the copy failed or is damaged; 77 not permitted to read the \
            database or to write in FILE's folder.

            Examples:
              crisisctl backup /var/backups/crisisd/crisisd-$(date +%F-%H%M).sqlite
              sudo -u crisisd crisisctl backup /var/lib/crisisd/copy.sqlite --force
            """)

    @OptionGroup var options: ConfigOption

    @Argument(help: "Where to write the copy. Its folder must exist.")
    var file: String

    @Flag(help: "Replace FILE if it exists.")
    var force = false

    func run() throws {
        // A backup is most wanted when something is wrong: a broken config still names its state_dir.
        let config = try options.load(salvagingBrokenTOML: true)
        let summary: DatabaseBackup.Summary
        do {
            summary = try DatabaseBackup.copy(database: config.databasePath, to: file, replacing: force)
        } catch {
            throw Self.fail(error, stateDir: config.stateDir)
        }
        let format = Formatting(timeZone: config.timeZone, now: Date())
        let written = URL(fileURLWithPath: file).standardizedFileURL.path
        print("Backed up \(config.databasePath) to \(written) (\(summary.bytes / 1024) KiB).")
        print("integrity_check: ok")
        print(
            "Crises: \(summary.crises) (\(summary.openCrises) open); journal entries: \(summary.journalEntries)"
                + (summary.lastEntryAt.map { ", the last at \(format.time($0))" } ?? "") + ".")
    }

    /// Says what is wrong, and what to do about it, and picks the exit status.
    static func fail(_ failure: DatabaseBackup.Failure, stateDir: String) -> ExitCode {
        switch failure {
        case .noSuchDirectory(let folder):
            warn("crisisctl: no such directory: \(folder). Create it first, or give another FILE.")
            return ExitCode(73)
        case .fileExists(let file):
            warn("crisisctl: \(file) exists; not replacing it. Give another FILE, or --force to replace it.")
            return ExitCode(73)
        case .databaseNotFound(let path):
            warn(
                "crisisctl: database not found: \(path). Is state_dir = \"\(stateDir)\" in the config the daemon's, and has crisisd ever run?"
            )
            return ExitCode(66)
        case .notPermitted(let path, write: false):
            warn(
                "crisisctl: not permitted to read \(path): only root and the crisisd user may. Run it as root, or with sudo -u crisisd."
            )
            return ExitCode(77)
        case .notPermitted(let path, write: true):
            warn("crisisctl: not permitted to write in \(path). Give a FILE in a folder you may write to.")
            return ExitCode(77)
        case .damaged(let problems):
            warn("crisisctl: the copy fails PRAGMA integrity_check, so the database itself is likely damaged:")
            for problem in problems { warn("  \(problem)") }
            warn("No file was written. See Runbooks/procedures/restore-the-journal.md.")
            return ExitCode(74)
        case .failed(let reason):
            warn("crisisctl: \(reason). No file was written.")
            return ExitCode(74)
        }
    }
}
