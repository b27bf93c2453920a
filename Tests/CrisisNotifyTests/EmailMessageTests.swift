import CrisisCore
import CrisisNotify
import Foundation
import Testing

/// The RFC 5322 text of an e-mail page, as a mail client reads it. The real server and Python's
/// parser check it end to end in ScenarioTests' EmailTests; these pin what they cannot show.
@Suite struct EmailMessageTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // Fri 2027-01-15 08:00:00Z
    static let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!

    func page(site: String = "Depot 4") -> PageMessage {
        PageMessage(
            id: "CR-7K4P-page-12", reference: CrisisReference(parsing: "CR-7K4P")!, category: .violence, site: site,
            callback: "+45 20 00 00 00", drill: false, receivedAt: Self.t0, clocks: [], recipient: "anna", step: 1,
            attempt: 3, publicURL: "https://crisisd.example.org")
    }

    func render(_ page: PageMessage) -> String {
        String(
            decoding: EmailMessage.render(
                page, from: "crisisd@example.org", to: "anna@example.org", timeZone: Self.copenhagen, date: Self.t0),
            as: UTF8.self)
    }

    func headers(_ text: String) -> [String] {
        text.components(separatedBy: "\r\n\r\n").first?.components(separatedBy: "\r\n") ?? []
    }

    /// The Subject header's value, a part per line it is folded into.
    func subjectWords(_ text: String) -> [Substring] {
        let lines = headers(text)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Subject: ") }) else { return [] }
        let folded = lines[(start + 1)...].prefix { $0.hasPrefix(" ") }
        return [lines[start].dropFirst("Subject: ".count)] + folded.map { $0.dropFirst() }
    }

    @Test func anASCIIPageIsPlainSevenBitTextWithCRLFLines() {
        let text = render(page())
        #expect(
            headers(text) == [
                "Date: Fri, 15 Jan 2027 09:00:00 +0100",
                "From: crisisd@example.org",
                "To: anna@example.org",
                "Subject: CRISIS CR-7K4P violence at Depot 4",
                "Message-ID: <CR-7K4P-page-12.3@crisisd>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 7bit",
                "Auto-Submitted: auto-generated",
            ])
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(body == page().text(in: Self.copenhagen).replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
    }

    @Test func aSiteOutsideASCIIIsAnEncodedSubjectAndAQuotedPrintableBody() {
        let text = render(page(site: "Lager Århus, bygning Ø"))
        let words = subjectWords(text)
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") }, "\(text)")
        let decoded = words.map { word in
            Data(base64Encoded: String(word.dropFirst("=?UTF-8?B?".count).dropLast(2))).map {
                String(decoding: $0, as: UTF8.self)
            } ?? "?"
        }
        // Adjacent encoded words join without the folding between them (RFC 2047, 6.2).
        #expect(decoded.joined() == "CRISIS CR-7K4P violence at Lager Århus, bygning Ø")
        #expect(headers(text).contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(text.contains("Lager =C3=85rhus"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "nothing 8-bit on the wire")
        // A soft break keeps every line within 76 characters; the ack URL line needs one.
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined()
        #expect(body.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(body.contains("=\r\n"))
    }

    @Test func aLongSubjectIsFoldedIntoEncodedWordsOfAtMost75Characters() {
        let text = render(page(site: String(repeating: "Ørestad ", count: 12)))
        let words = subjectWords(text)
        #expect(words.count >= 3, "\(text)")
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
    }

    @Test func aLongASCIISubjectIsFoldedAtSpacesAndUnfoldsToThePagesFirstLine() {
        let site = "Central warehouse building C, loading bay 14, north entrance"
        let text = render(page(site: site))
        let words = subjectWords(text)
        #expect(words.count >= 2, "\(text)")
        #expect(headers(text).allSatisfy { $0.count <= 78 }, "\(text)")
        // Unfolding removes only the CRLF; the space after it is the one the fold replaced.
        #expect(words.joined(separator: " ") == "CRISIS CR-7K4P violence at \(site)")
    }

    /// Whatever a site's name holds, it never starts a header or a body of its own.
    @Test func aLineBreakInTheSiteCannotAddAHeader() {
        let text = render(page(site: "Depot\r\nBcc: everyone@example.org"))
        #expect(!headers(text).contains { $0.hasPrefix("Bcc:") }, "\(text)")
    }
}
