import CrisisCore
import Testing

struct EscalationTargetTests {
    @Test(arguments: [
        ("rotation:chiefs", EscalationTarget.rotation("chiefs")),
        ("rotation:chiefs:backup", .rotationBackup("chiefs")),
        ("person:lead", .person("lead")),
    ])
    func targetsParseAndPrintBack(text: String, target: EscalationTarget) {
        #expect(EscalationTarget(parsing: text) == target)
        #expect(target.description == text)
    }

    @Test(arguments: [
        "", "rotation", "rotation:", "rotation::backup", "rotation:chiefs:spare", "person:", "person:a:b",
        "team:chiefs",
        "chiefs",
    ])
    func malformedTargetsAreRejected(text: String) {
        #expect(EscalationTarget(parsing: text) == nil)
    }
}
