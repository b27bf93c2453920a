import CrisisCore
import Foundation
import Testing

struct OpsBoardTests {
    let rota = Rota(
        timeZone: copenhagen,
        rotations: [
            Rotation(
                id: "chiefs", members: ["anna", "bo"], start: LocalDateTime(year: 2026, month: 11, day: 2, hour: 8),
                shift: TimeSpan(days: 2))
        ],
        people: [
            Person(id: "anna", name: "Anna Holm", phone: "+4520000001", contacts: ["console"]),
            Person(id: "bo", name: "Bo Madsen", phone: "+4520000002", contacts: ["console"]),
        ])
    let now = utc("2026-11-12T10:00:00Z")

    @Test func theJournalKeepsIdsAndEnumerationsAndDropsFreeTextAndPhoneNumbers() throws {
        let reference = try #require(CrisisReference(parsing: "CR-7K4P"))
        let entries = [
            JournalEntry(
                at: now - 60, reference: reference, kind: .crisisReceived, actor: "requester:albertslund",
                data: ["category": "violence", "site": "Depot 4", "callback": "+4520000000", "drill": "false"]),
            JournalEntry(
                at: now - 30, reference: reference, kind: .clockEnded, actor: "person:anna",
                data: ["clock": "onsite", "outcome": "waived", "reason": "Handled by phone with Karen"]),
            JournalEntry(
                at: now - 20, reference: reference, kind: .milestoneRecorded, actor: "person:anna",
                data: ["milestone": "resolved", "outcome": "Karen went home"]),
        ]
        let board = OpsBoard(crises: [], journal: entries, rota: rota, now: now)
        #expect(board.journal.map(\.kind) == [.milestoneRecorded, .clockEnded, .crisisReceived], "newest first")
        #expect(board.journal[0].details.map(\.key) == ["milestone"], "a free-text outcome is not a clock's")
        #expect(board.journal[1].details.map(\.value) == ["onsite", "waived"])
        #expect(board.journal[2].details.map(\.key) == ["category", "site"])
    }

    @Test func theJournalReachesBackOneDayOnly() {
        let entries = [
            JournalEntry(at: now - OpsBoard.journalWindow - 1, kind: .daemonStarted, actor: "crisisd"),
            JournalEntry(at: now - 3600, kind: .configReloaded, actor: "crisisd"),
        ]
        #expect(OpsBoard(crises: [], journal: entries, rota: rota, now: now).journal.map(\.kind) == [.configReloaded])
    }

    @Test func dutyShowsWhoIsOnNowAndTheNextHandoffsWithinAWeek() throws {
        let duty = try #require(OpsBoard(crises: [], journal: [], rota: rota, now: now).duty.first)
        #expect(duty.person == "bo")
        #expect(duty.until == utc("2026-11-14T07:00:00Z"))
        #expect(
            duty.next.map(\.at) == [
                utc("2026-11-14T07:00:00Z"), utc("2026-11-16T07:00:00Z"), utc("2026-11-18T07:00:00Z"),
            ])
        #expect(duty.next.map(\.name) == ["Anna Holm", "Bo Madsen", "Anna Holm"])
    }

    @Test func failedAttemptsAndGivenUpPagesAreCountedPerChannel() {
        func attempt(_ kind: JournalKind, _ channel: String) -> JournalEntry {
            JournalEntry(at: now - 600, kind: kind, actor: "crisisd", data: ["channel": channel, "person": "anna"])
        }
        let entries = [
            attempt(.pageFailed, "sms"), attempt(.pageFailed, "sms"), attempt(.pageGaveUp, "sms"),
            attempt(.pageDelivered, "pages"),
        ]
        let trouble = OpsBoard(crises: [], journal: entries, rota: rota, now: now).trouble
        #expect(trouble.map(\.channel) == ["sms"])
        #expect(trouble.first?.failedAttempts == 2)
        #expect(trouble.first?.gaveUp == 1)
    }
}
