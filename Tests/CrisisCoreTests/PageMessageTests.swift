import CrisisCore
import Foundation
import Testing

struct PageMessageTests {
    let reference = CrisisReference(parsing: "CR-7K4P")!
    let receivedAt = utc("2026-11-23T14:00:00Z")

    func message(
        from intake: Intake = Intake(category: .violence, site: "Albertslund Rådhus", callback: "+45 20 00 00 01"),
        publicURL: String = "https://crisis.example.org"
    ) -> PageMessage {
        PageMessage(
            id: "CR-7K4P-page-12", reference: reference, category: intake.category, site: intake.site,
            callback: intake.callback,
            drill: intake.drill, receivedAt: receivedAt,
            clocks: ClockPolicy().startClocks(firstContact: receivedAt, group: intake.group), recipient: "anna",
            step: 1,
            publicURL: publicURL)
    }

    func json(_ message: PageMessage) throws -> [String: Any] {
        let data = try JSONCoding.encoder().encode(message)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theJSONHasSnakeCaseKeysAndNothingElse() throws {
        let object = try json(message())
        #expect(
            Set(object.keys) == [
                "id", "kind", "reference", "category", "site", "callback", "drill", "received_at", "deadlines",
                "labels", "recipient", "step", "attempt", "ack_url", "call_back_by",
            ])
        #expect(object["id"] as? String == "CR-7K4P-page-12", "the same as the webhook-id header")
        #expect(object["kind"] as? String == "crisis")
        #expect(object["reference"] as? String == "CR-7K4P")
        #expect(object["category"] as? String == "violence")
        #expect(object["site"] as? String == "Albertslund Rådhus")
        #expect(object["callback"] as? String == "+45 20 00 00 01")
        #expect(object["recipient"] as? String == "anna")
        #expect(object["step"] as? Int == 1)
        #expect(object["attempt"] as? Int == 1)
        #expect(object["drill"] as? Bool == false)
        #expect(object["received_at"] as? String == "2026-11-23T14:00:00Z")
        #expect(object["ack_url"] as? String == "https://crisis.example.org/v1/crises/CR-7K4P/ack")
        #expect(
            object["labels"] as? [String: String] == ["ack": "acknowledge", "contact": "contact", "onsite": "on site"])
    }

    @Test func theLeaderIsToldInOneShortLineByWhenTheyAreCalledAndLaterByWhom() throws {
        var receipt = message()
        receipt.kind = .receipt
        receipt.recipient = "requester:glostrup"
        #expect(try json(receipt)["call_back_by"] as? String == "2026-11-23T15:00:00Z", "the contact clock's deadline")
        let text = "CR-7K4P received; a chief psychologist will call you by 16:00"
        #expect(receipt.text(in: copenhagen) == text)
        #expect(receipt.smsText(in: copenhagen) == text)
        #expect(SMSLength(text).segments == 1)

        receipt.drill = true
        receipt.callBackBy = nil
        #expect(receipt.smsText(in: copenhagen) == "DRILL CR-7K4P received; a chief psychologist will call you")

        var notice = message()
        notice.kind = .ackNotice
        notice.acknowledgedBy = "Anna Holm"
        #expect(notice.smsText(in: copenhagen) == "CR-7K4P: Anna Holm has your case and will call you")
        #expect(!notice.text(in: copenhagen).contains("http"), "no link to acknowledge with")
    }

    @Test func theDeadlinesAreNamedByClockInUTC() throws {
        let deadlines = try #require(try json(message())["deadlines"] as? [String: String])
        #expect(
            deadlines == [
                "ack": "2026-11-23T14:05:00Z", "contact": "2026-11-23T15:00:00Z", "onsite": "2026-11-23T18:00:00Z",
            ])
    }

    @Test func theMessageDecodesBackUnchanged() throws {
        let original = message()
        let data = try JSONCoding.encoder().encode(original)
        #expect(try JSONCoding.decoder().decode(PageMessage.self, from: data) == original)
    }

    @Test(arguments: ["https://crisis.example.org", "https://crisis.example.org/"])
    func theAckLinkIsBuiltWithOrWithoutATrailingSlash(publicURL: String) {
        #expect(message(publicURL: publicURL).ackURL == "https://crisis.example.org/v1/crises/CR-7K4P/ack")
    }

    @Test func theAckLinkKeepsAPathPrefix() {
        #expect(
            message(publicURL: "https://example.org/crisisd/").ackURL
                == "https://example.org/crisisd/v1/crises/CR-7K4P/ack")
    }

    @Test func theTextShowsDeadlinesInLocalTime() {
        let text = message().text(in: copenhagen)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.first == "CRISIS CR-7K4P violence at Albertslund Rådhus")
        #expect(lines.contains("Call back: +45 20 00 00 01"))
        #expect(lines.contains("acknowledge by 15:05, contact by 16:00, on site by 19:00 (Europe/Copenhagen)"))
        #expect(
            lines.last == "Acknowledge: https://crisis.example.org/v1/crises/CR-7K4P/ack  or  crisisctl ack CR-7K4P")
    }

    @Test func withATokenTheLinkIsThePersonsOwnAcknowledgementPage() {
        let token = String(repeating: "k", count: 43)
        let page = PageMessage(
            id: "CR-7K4P-page-12", reference: reference, category: .violence, site: "Depot", callback: "+4512345678",
            drill: false, receivedAt: receivedAt, clocks: [], recipient: "anna", step: 1,
            publicURL: "https://crisis.example.org/", ackToken: token)
        #expect(page.ackURL == "https://crisis.example.org/a/\(token)")
        #expect(
            page.text(in: copenhagen).hasSuffix(
                "Acknowledge: https://crisis.example.org/a/\(token)  or  crisisctl ack CR-7K4P"))
    }

    @Test func theTextInUTCShowsUTCTimes() {
        // Foundation on Linux names the UTC zone "GMT"; the text shows whatever the zone is called.
        #expect(
            message().text(in: utcZone).contains(
                "acknowledge by 14:05, contact by 15:00, on site by 18:00 (\(utcZone.identifier))"))
    }

    @Test func aDrillSaysSoFirst() {
        let drill = Intake(category: .accident, site: "Depot", callback: "112", drill: true)
        #expect(message(from: drill).text(in: copenhagen).hasPrefix("DRILL CRISIS CR-7K4P accident at Depot"))
        #expect(message(from: drill).drill)
    }

    @Test func aGroupCrisisWithoutContactClockLeavesItOutOfTheText() {
        let message = PageMessage(
            id: "CR-7K4P-page-13", reference: reference, category: .death, site: "Plant", callback: "112", drill: false,
            receivedAt: receivedAt,
            clocks: ClockPolicy(contactAppliesToGroups: false).startClocks(firstContact: receivedAt, group: true),
            recipient: "bo", step: 2, attempt: 3, publicURL: "http://127.0.0.1:8470")
        #expect(Set(message.deadlines.keys) == ["ack", "onsite"])
        #expect(message.text(in: copenhagen).contains("acknowledge by 15:05, on site by 19:00 (Europe/Copenhagen)"))
        #expect(message.step == 2)
        #expect(message.attempt == 3)
    }

    @Test func aPageNeverCarriesTheRequesterNameOrTheNote() throws {
        let intake = try IntakeForm(
            category: "accident", site: "Albertslund Rådhus", callback: "+45 20 00 00 01", requesterName: "Jens Jensen",
            group: false, people: 1, note: "head injury"
        ).validated()
        #expect(intake.requesterName == "Jens Jensen")
        #expect(intake.note == "head injury")

        let page = message(from: intake)
        let encoded = String(decoding: try JSONCoding.encoder().encode(page), as: UTF8.self)
        let text = page.text(in: copenhagen)
        for secret in ["Jens", "Jensen", "head injury", "injury"] {
            #expect(!encoded.contains(secret), "JSON carries \(secret)")
            #expect(!text.contains(secret), "text carries \(secret)")
        }
        #expect(encoded.contains("Albertslund Rådhus"))
    }
}

/// Pages combined into one message while a rate limit held them.
struct CombinedPageTests {
    let received = utc("2026-11-23T14:00:00Z")

    func page(_ reference: String, site: String = "Depot 4", kind: PageMessage.Kind = .crisis) -> PageMessage {
        PageMessage(
            id: "\(reference)-page-1", kind: kind, reference: CrisisReference(parsing: reference)!,
            category: .violence, site: site, callback: "+45 20 00 00 00", drill: false, receivedAt: received,
            clocks: ClockPolicy().startClocks(firstContact: received, group: false), recipient: "anna", step: 1,
            publicURL: "https://crisis.example.org", ackToken: String(repeating: "k", count: 43))
    }

    @Test func theTextListsEveryOtherCrisisWithItsCallBackNumber() {
        var combined = page("CR-7K4P")
        combined.also = [page("CR-AAAA", site: "Hall B"), page("CR-BBBB", kind: .warning)].map(PageMessage.Waiting.init)
        let text = combined.text(in: copenhagen)
        #expect(text.contains("Also waiting: CR-AAAA violence at Hall B, call back +45 20 00 00 00"), "\(text)")
        #expect(text.contains("Also waiting: CR-BBBB (warning) violence at Depot 4"), "\(text)")
        let sms = combined.smsText(in: copenhagen)
        #expect(sms.contains(". +2 more: CR-AAAA CR-BBBB."), "\(sms)")
        #expect(SMSLength(sms).segments <= 2, "\(sms)")
    }

    @Test func anSMSKeepsTheCountWhenTheReferencesNoLongerFit() {
        var combined = page("CR-7K4P", site: "Albertslund Rådhus, 2nd floor, the big meeting room")
        let alphabet = CrisisReference.alphabet
        combined.also = (0..<30).map { index in
            PageMessage.Waiting(page("CR-AA\(alphabet[index / alphabet.count])\(alphabet[index % alphabet.count])"))
        }
        let sms = combined.smsText(in: copenhagen)
        #expect(sms.contains("+30 more"), "\(sms)")
        #expect(SMSLength(sms).segments <= 2, "\(sms)")
    }
}
