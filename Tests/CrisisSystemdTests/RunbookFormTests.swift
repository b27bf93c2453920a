import Foundation
import Testing

/// Every alert runbook reads the same way for an operator woken at night: what it means, what it
/// does to people, how to find out more, what to do, and whom to call; its commands in blocks.
struct RunbookFormTests {
    static let alerts = MessageCatalogTests.root.appendingPathComponent("Runbooks/alerts")
    static let sections = ["Meaning", "Impact", "Diagnosis", "Mitigation", "Escalation"]

    static var runbooks: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: alerts.path)) ?? []).filter { $0.hasSuffix(".md") }
            .sorted()
    }

    @Test func thereAreAlertRunbooks() {
        #expect(Self.runbooks.count >= 10, "\(Self.runbooks)")
    }

    @Test(arguments: runbooks)
    func aRunbookHasEachSectionInOrderAndItsCommandsInCodeBlocks(_ name: String) throws {
        let text = try String(contentsOf: Self.alerts.appendingPathComponent(name), encoding: .utf8)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        let ours = headings.filter(Self.sections.contains)
        #expect(ours == Self.sections, "\(name): \(headings)")
        // Something to copy in Diagnosis and in Mitigation: a fenced block or an inline command.
        for section in ["Diagnosis", "Mitigation"] {
            let body =
                text.components(separatedBy: "## \(section)").dropFirst().first?
                .components(separatedBy: "\n## ").first ?? ""
            #expect(body.contains("```") || body.contains("`"), "\(name): \(section) has no command to copy")
        }
        // A copied block runs as it is: no `<placeholder>` an operator must edit first.
        let blocks = text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        for block in blocks {
            #expect(block.firstMatch(of: /<[A-Z][A-Z_-]*>/) == nil, "\(name): a placeholder in\n\(block)")
        }
    }
}
