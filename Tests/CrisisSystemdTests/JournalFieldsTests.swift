import CrisisSystemd
import Logging
import Testing

struct JournalFieldsTests {
    @Test(arguments: [
        ("crisis_ref", "CRISIS_REF"), ("category", "CRISIS_CATEGORY"), ("step", "CRISIS_STEP"), ("clock", "CLOCK"),
        ("channel", "PAGE_CHANNEL"), ("recipient", "RECIPIENT_ID"), ("message_id", "MESSAGE_ID"),
    ])
    func theKeysOpsFilterOnGetTheFieldNamesTheRunbooksQuote(key: String, field: String) {
        #expect(JournalFields.name(for: key) == field)
    }

    @Test(arguments: [
        ("next_attempt_at", "NEXT_ATTEMPT_AT"), ("failed-before", "FAILED_BEFORE"), ("_hidden", "HIDDEN"),
        ("2fa", "CRISISD_2FA"), ("message", "CRISISD_MESSAGE"), ("priority", "CRISISD_PRIORITY"),
        ("syslog_identifier", "CRISISD_SYSLOG_IDENTIFIER"), ("é", "CRISISD_"),
    ])
    func otherKeysBecomeFieldNamesJournaldAcceptsWithoutOverwritingItsOwn(key: String, field: String) {
        #expect(JournalFields.name(for: key) == field)
    }

    @Test func anEntryHasItsMessagePriorityAndIdentifierThenItsMetadataByName() {
        let fields = JournalFields.entry(
            level: .warning, message: "page failed; will retry",
            metadata: ["crisis_ref": "CR-7K4P", "recipient": "anna", "channel": "pages", "message_id": "abc"],
            identifier: "crisisd")
        #expect(
            fields == [
                "MESSAGE=page failed; will retry channel=pages crisis_ref=CR-7K4P recipient=anna", "PRIORITY=4",
                "SYSLOG_IDENTIFIER=crisisd", "CRISIS_REF=CR-7K4P",
                "MESSAGE_ID=abc", "PAGE_CHANNEL=pages", "RECIPIENT_ID=anna",
            ])
    }

    @Test func theStandardErrorLineLeavesTheMessageIDOut() {
        let line = JournalStreamLogHandler.format(
            level: .notice, message: "crisis received",
            metadata: ["crisis_ref": "CR-7K4P"].event(.crisisReceived), label: "crisisd", underJournal: true,
            now: .now)
        #expect(line == "<5>crisis received crisis_ref=CR-7K4P")
    }
}
