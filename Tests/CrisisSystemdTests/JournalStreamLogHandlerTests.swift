import CrisisSystemd
import Foundation
import Logging
import Testing

struct JournalStreamLogHandlerTests {
    @Test(arguments: [
        (Logger.Level.critical, 2), (.error, 3), (.warning, 4), (.notice, 5), (.info, 6), (.debug, 7), (.trace, 7),
    ])
    func underJournaldEachLineCarriesItsSyslogPriority(level: Logger.Level, priority: Int) {
        let line = JournalStreamLogHandler.format(
            level: level, message: "page failed", metadata: ["crisis_ref": "CR-7K4P"], label: "crisisd",
            underJournal: true,
            now: Date(timeIntervalSince1970: 0))
        #expect(line == "<\(priority)>page failed crisis_ref=CR-7K4P")
    }

    @Test func outsideJournaldLinesCarryTimeLevelAndLabelAndQuoteSpacedValues() {
        let line = JournalStreamLogHandler.format(
            level: .warning, message: "a response clock is about to run out",
            metadata: ["clock": "contact", "people": "anna, lead"], label: "crisisd", underJournal: false,
            now: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(
            line
                == #"2026-11-18T11:06:40Z warning crisisd: a response clock is about to run out clock=contact people="anna, lead""#
        )
    }

    /// The time of the second before is kept for the lines of the same second, never beyond it.
    @Test func eachLineCarriesTheSecondItWasLoggedInWholeSecondsRoundedDown() {
        func time(_ seconds: Double) -> String {
            String(
                JournalStreamLogHandler.format(
                    level: .info, message: "m", metadata: [:], label: "crisisd", underJournal: false,
                    now: Date(timeIntervalSince1970: seconds)
                ).prefix(20))
        }
        #expect(time(1_795_000_000.2) == "2026-11-18T11:06:40Z")
        #expect(time(1_795_000_000.9999) == "2026-11-18T11:06:40Z")
        #expect(time(1_795_000_001) == "2026-11-18T11:06:41Z")
        #expect(time(1_795_000_000.5) == "2026-11-18T11:06:40Z")
        #expect(time(-0.5) == "1969-12-31T23:59:59Z")
    }

    @Test func valuesWithQuotesStayParseable() {
        let line = JournalStreamLogHandler.format(
            level: .warning, message: "rota cover ignored",
            metadata: ["reason": #"person "dora" is not in the config"#],
            label: "crisisd", underJournal: true, now: Date())
        #expect(line == #"<4>rota cover ignored reason="person \"dora\" is not in the config""#)
    }

    @Test func aMultiLineMessageStaysOneJournalEntry() {
        let line = JournalStreamLogHandler.format(
            level: .error, message: "first\nsecond", metadata: [:], label: "crisisd", underJournal: true, now: Date())
        #expect(line == "<3>first second")
    }
}
