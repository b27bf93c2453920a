import CrisisCore
import Foundation
import Testing

@Suite struct StatusLineTests {
    let now = utc("2026-03-02T10:00:00Z")

    func crisis(
        _ reference: String, status: CrisisView.Status = .acknowledged, clocks: [(ClockKind, TimeInterval)] = [],
        escalationIn: TimeInterval? = nil
    ) -> CrisisView {
        CrisisView(
            reference: CrisisReference(parsing: reference)!, category: .violence, site: "Depot",
            callback: "+4512345678",
            requesterRole: .leader, group: false, people: nil, drill: false, receivedAt: now - 600, status: status,
            acknowledgedAt: nil, acknowledgedBy: nil, assigned: ["anna"], noOneOnDuty: false,
            clocks: clocks.map { kind, dueIn in
                ResponseClock(
                    kind: kind, label: kind.rawValue, stop: .acknowledgement, startedAt: now - 600, dueAt: now + dueIn)
            },
            pages: [], escalation: EscalationProgress(nextAt: escalationIn.map { now + $0 }), milestones: [])
    }

    @Test func namesTheCountTheEarliestDeadlineAndWhoIsOnDuty() {
        let line = StatusLine.text(
            open: [
                crisis("CR-2222", clocks: [("onsite", 3 * 3600)]), crisis("CR-7K4P", clocks: [("contact", 37 * 60)]),
            ],
            onDuty: ["Anna Holm"], now: now)
        #expect(line == "2 open crises; next deadline CR-7K4P contact in 37m; on duty: Anna Holm")
    }

    @Test func anUnacknowledgedCrisisCountsItsNextEscalationStep() {
        let line = StatusLine.text(
            open: [crisis("CR-7K4P", status: .open, clocks: [("ack", 300)], escalationIn: 45)], onDuty: ["Anna Holm"],
            now: now)
        #expect(line == "1 open crisis; next deadline CR-7K4P escalation in 45s; on duty: Anna Holm")
    }

    @Test func noCrisisNoDutyAndAnOverdueClockReadPlainly() {
        #expect(StatusLine.text(open: [], onDuty: [], now: now) == "0 open crises; on duty: nobody")
        let overdue = StatusLine.text(
            open: [crisis("CR-7K4P", clocks: [("onsite", -180)])], onDuty: ["Anna Holm", "Anna Holm", "Bo Berg"],
            now: now)
        #expect(overdue == "1 open crisis; next deadline CR-7K4P onsite overdue by 3m; on duty: Anna Holm, Bo Berg")
    }

    @Test func aProblemLeadsTheLine() {
        let line = StatusLine.text(open: [], onDuty: ["Anna Holm"], problem: "the database cannot commit", now: now)
        #expect(line == "degraded: the database cannot commit; 0 open crises; on duty: Anna Holm")
    }

    @Test(
        arguments: [(59.0, "in 59s"), (3600, "in 1h"), (2 * 3600 + 5 * 60, "in 2h 5m"), (-30, "overdue by 30s")]
            as [(TimeInterval, String)])
    func countdowns(seconds: TimeInterval, text: String) {
        #expect(
            StatusLine.text(open: [crisis("CR-7K4P", clocks: [("ack", seconds)])], onDuty: [], now: now)
                .contains("CR-7K4P ack \(text);"))
    }
}
