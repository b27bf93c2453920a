import CrisisSystemd
import Testing

struct LogTargetTests {
    @Test(arguments: [
        ([String: String](), false, LogTarget.stderr),
        ([:], true, .journal),
        (["JOURNAL_STREAM": "8:12345"], false, .journal),
        (["JOURNAL_STREAM": ""], false, .stderr),
        (["LOG_TARGET": "stderr"], true, .stderr),
        (["LOG_TARGET": "stderr", "JOURNAL_STREAM": "8:12345"], true, .stderr),
        (["LOG_TARGET": "journal"], false, .journal),
        (["LOG_TARGET": "auto"], true, .journal),
        (["LOG_TARGET": "auto"], false, .stderr),
    ])
    func underJournaldTheJournalUnlessLogTargetSaysOtherwise(
        environment: [String: String], socket: Bool, expected: LogTarget
    ) {
        #expect(
            LogTarget.choose(environment: environment, journalSocketExists: socket, stderrIsTerminal: false) == expected
        )
    }

    @Test func aRunInATerminalLogsThereUnlessSystemdOrLogTargetSaysOtherwise() {
        #expect(LogTarget.choose(environment: [:], journalSocketExists: true, stderrIsTerminal: true) == .stderr)
        #expect(
            LogTarget.choose(environment: ["JOURNAL_STREAM": "8:1"], journalSocketExists: true, stderrIsTerminal: true)
                == .journal)
        #expect(
            LogTarget.choose(environment: ["LOG_TARGET": "journal"], journalSocketExists: true, stderrIsTerminal: true)
                == .journal)
    }
}
