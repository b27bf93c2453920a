import CrisisSystemd
import Foundation
import Testing

/// `Deploy/crisisd.catalog` explains every `MESSAGE_ID` crisisd logs, once, and points an
/// operator at the runbook of each event that needs one.
struct MessageCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let catalogPath = root.appendingPathComponent("Deploy/crisisd.catalog").path
    /// Where the install puts README.md and Runbooks/, as the catalog's links name them.
    static let installedDocs = "file:///usr/local/share/doc/crisisd/"

    struct Entry {
        let id: String
        var headers: [String: String] = [:]
        var body = ""
    }

    static func entries() throws -> [Entry] {
        var entries: [Entry] = []
        var inHeaders = false
        for line in try String(contentsOfFile: catalogPath, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("-- ") {
                entries.append(Entry(id: String(line.dropFirst(3))))
                inHeaders = true
            } else if line.isEmpty {
                inHeaders = false
            } else if inHeaders, let colon = line.firstIndex(of: ":") {
                entries[entries.count - 1].headers[String(line[..<colon])] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            } else if !entries.isEmpty {
                entries[entries.count - 1].body += line + "\n"
            }
        }
        return entries
    }

    @Test func everyMessageIDHasExactlyOneCatalogEntryAndEveryEntryAnID() throws {
        let ids = try Self.entries().map(\.id)
        #expect(ids.count == Set(ids).count, "an id twice: \(ids.sorted())")
        #expect(Set(ids) == Set(LogMessageID.allCases.map(\.rawValue)))
        for id in ids {
            #expect(id.wholeMatch(of: /[0-9a-f]{32}/) != nil, "\(id) is not 32 lowercase hex digits")
        }
    }

    @Test func noMessageIDInTheSourcesOutsideTheOneEnum() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let known = Set(LogMessageID.allCases.map(\.rawValue))
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") && !file.hasSuffix("LogMessageID.swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /\b[0-9a-f]{32}\b/) where known.contains(String(match.output)) {
                Issue.record("\(file) spells out the message id \(match.output): use LogMessageID")
            }
        }
    }

    @Test(arguments: LogMessageID.allCases)
    func eachEntryHasASubjectAndPointsAtDocumentationThatExists(_ id: LogMessageID) throws {
        let entry = try #require(try Self.entries().first { $0.id == id.rawValue })
        #expect(entry.headers["Subject"]?.isEmpty == false)
        #expect(entry.headers["Defined-By"] == "crisisd")
        let support = try #require(entry.headers["Support"])
        #expect(support == Self.installedDocs + "Runbooks/README.md")
        let documentation = try #require(entry.headers["Documentation"])
        #expect(documentation.hasPrefix(Self.installedDocs))
        let file = Self.root.appendingPathComponent(String(documentation.dropFirst(Self.installedDocs.count)))
        #expect(FileManager.default.fileExists(atPath: file.path), "\(documentation) is not in the source tree")
        #expect(!entry.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "what it means and what to do")
        // An event that needs an operator leads to its runbook, and the runbook shows its filter.
        if let runbook = id.runbook {
            #expect(documentation == Self.installedDocs + "Runbooks/" + runbook)
            let text = try String(
                contentsOf: Self.root.appendingPathComponent("Runbooks/" + runbook), encoding: .utf8)
            #expect(text.contains("MESSAGE_ID=\(id.rawValue)"), "Runbooks/\(runbook) shows no journalctl filter")
        }
    }

    /// journalctl itself takes the catalog: installed in a scratch root, `--update-catalog` builds
    /// its database, and `--list-catalog` lists every id with its subject.
    @Test func journalctlCompilesTheCatalog() throws {
        let journalctl = "/bin/journalctl"
        guard FileManager.default.isExecutableFile(atPath: journalctl) else {
            let required = ProcessInfo.processInfo.environment["CRISISD_INTEGRATION"] == "1"
            #expect(!required, "CRISISD_INTEGRATION is set: journalctl (systemd) is needed")
            return
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("usr/local/lib/systemd/catalog")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.catalogPath, toPath: folder.appendingPathComponent("crisisd.catalog").path)
        #expect(try run(journalctl, ["--root", scratch.path, "--update-catalog"]).status == 0)
        let listed = try run(journalctl, ["--root", scratch.path, "--list-catalog"]).output
        let subjects = try Dictionary(uniqueKeysWithValues: Self.entries().map { ($0.id, $0.headers["Subject"] ?? "") })
        let lines = listed.split(separator: "\n").map(String.init)
        #expect(lines.count == LogMessageID.allCases.count, "\(listed)")
        for id in LogMessageID.allCases {
            #expect(lines.contains("\(id.rawValue) crisisd: \(subjects[id.rawValue] ?? "")"), "\(listed)")
        }
    }

    private func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
