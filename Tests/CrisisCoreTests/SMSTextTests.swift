import CrisisCore
import Foundation
import Testing

/// The SMS a page becomes: one line with the reference, the call-back number and the link, in one
/// segment where it can be and never more than two, the site shortened first.
struct SMSTextTests {
    static let receivedAt = utc("2026-11-23T14:00:00Z")
    static let link = "https://crisis.example.org/v1/crises/CR-7K4P/ack"

    func page(
        site: String = "Depot 4", kind: PageMessage.Kind = .crisis, clock: ClockKind? = nil, step: Int = 1,
        drill: Bool = false, publicURL: String = "https://crisis.example.org"
    ) -> PageMessage {
        PageMessage(
            id: "CR-7K4P-page-1", kind: kind, clock: clock, reference: CrisisReference(parsing: "CR-7K4P")!,
            category: .violence, site: site, callback: "+45 20 00 00 00", drill: drill, receivedAt: Self.receivedAt,
            clocks: ClockPolicy().startClocks(firstContact: Self.receivedAt, group: false), recipient: "anna",
            step: step, publicURL: publicURL)
    }

    @Test func aCrisisIsOneShortLineWithTheAckDeadlineInLocalTime() {
        let text = page().smsText(in: copenhagen)
        #expect(text == "CRISIS CR-7K4P violence at Depot 4. Call back +4520000000. Acknowledge by 15:05: \(Self.link)")
        #expect(SMSLength(text).alphabet == .gsm7)
        #expect(SMSLength(text).segments == 1)
    }

    @Test func theTimeIsInTheConfigsZone() {
        #expect(page().smsText(in: utcZone).contains("Acknowledge by 14:05: "))
    }

    @Test func aDrillSaysSoFirst() {
        #expect(page(drill: true).smsText(in: copenhagen).hasPrefix("DRILL CRISIS CR-7K4P violence at Depot 4."))
    }

    @Test func anEscalationStepSaysWhichStep() {
        #expect(
            page(step: 2).smsText(in: copenhagen).hasPrefix("CRISIS CR-7K4P violence at Depot 4 (escalation step 2)."))
    }

    @Test func aWarningAndABreachNameTheirClockAndItsDeadline() {
        #expect(
            page(kind: .warning, clock: "contact").smsText(in: copenhagen)
                == "WARNING CR-7K4P violence at Depot 4: contact deadline near. Call back +4520000000. "
                + "Contact by 16:00: \(Self.link)")
        #expect(
            page(kind: .breach, clock: "onsite").smsText(in: copenhagen)
                == "BREACH CR-7K4P violence at Depot 4: on site deadline missed. Call back +4520000000. "
                + "On site was due 19:00: \(Self.link)")
    }

    @Test func anExhaustedEscalationSaysNobodyAcknowledged() {
        #expect(
            page(kind: .exhausted).smsText(in: copenhagen).hasPrefix(
                "NOBODY ACKNOWLEDGED CR-7K4P violence at Depot 4. Call back +4520000000."))
    }

    @Test func aLongSiteIsShortenedToFitOneSegmentAndTheRestStays() {
        let site = "Albertslund Rådhus, Nordvej 2, building C, third floor, the meeting room behind the canteen"
        let text = page(site: site).smsText(in: copenhagen)
        #expect(SMSLength(text).alphabet == .gsm7, "the ellipsis is three dots in a GSM-7 text: \(text)")
        #expect(SMSLength(text).units == 160, "as much of the site as fits: \(text)")
        #expect(text.hasPrefix("CRISIS CR-7K4P violence at Albertslund Rådhus, Nordvej 2"))
        #expect(text.contains("... Call back +4520000000. Acknowledge by 15:05: \(Self.link)"), "\(text)")
    }

    @Test func theOptionalPartsGoWhenShorteningTheSiteIsNotEnough() {
        // An 89-character link leaves room for a short site and nothing optional in one segment.
        let publicURL = "https://crisis-intervention.example-occupational-health.org/crisisd"
        let text = page(site: "Albertslund Rådhus, Nordvej 2", step: 2, publicURL: publicURL)
            .smsText(in: copenhagen)
        #expect(SMSLength(text).segments == 1, "\(text)")
        #expect(
            text
                == "CRISIS CR-7K4P violence at Albertslund... Call back +4520000000. Ack: \(publicURL)/v1/crises/CR-7K4P/ack"
        )
        #expect(!text.contains("step") && !text.contains("15:05"), "\(text)")
    }

    @Test func aSiteOutsideGSM7MakesItUCS2AndTwoSegmentsRatherThanLosingTheSite() {
        let text = page(site: "Łódź").smsText(in: copenhagen)
        #expect(text == "CRISIS CR-7K4P violence at Łódź. Call back +4520000000. Acknowledge by 15:05: \(Self.link)")
        #expect(SMSLength(text).alphabet == .ucs2)
        #expect(SMSLength(text).segments == 2)
    }

    @Test func aLongSiteOutsideGSM7IsShortenedWithAnEllipsisToTwoSegments() {
        let site = "Łódź, ulica Piotrkowska 104, budynek główny, trzecie piętro, sala konferencyjna za stołówką"
        let text = page(site: site).smsText(in: copenhagen)
        #expect(SMSLength(text).alphabet == .ucs2)
        #expect(SMSLength(text).segments == 2)
        // As much of the site as fits two parts (one more character, a space, is trimmed).
        #expect(
            text == "CRISIS CR-7K4P violence at Łódź, ulica… Call back +4520000000. Acknowledge by 15:05: \(Self.link)")
        #expect(SMSLength(text).units == 133)
    }

    @Test func aLinkTooLongForTwoSegmentsIsStillSentWholeWithTheReferenceAndNumber() {
        let publicURL = "https://example.org/" + String(repeating: "x", count: 400)
        let text = page(site: "Depot 4 north gate", step: 3, publicURL: publicURL).smsText(in: copenhagen)
        #expect(text == "CRISIS CR-7K4P. Call back +4520000000. Ack: \(publicURL)/v1/crises/CR-7K4P/ack")
    }

    @Test func aSiteIsOneLineAndItsLettersComposed() {
        // "Å" typed as A and a combining ring is the GSM-7 letter once composed.
        let text = page(site: "A\u{30A}rhus\nHavn").smsText(in: copenhagen)
        #expect(text.hasPrefix("CRISIS CR-7K4P violence at Århus Havn. Call back"))
        #expect(SMSLength(text).alphabet == .gsm7)
    }
}
