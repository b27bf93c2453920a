import CrisisCore
import CrisisNotify
import Foundation
import Testing

/// The request an SMS page becomes, for Twilio and for a generic gateway's templates, with each
/// value escaped for where the template puts it; and failure reasons that quote no key.
struct SMSNotifierTests {
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let marker = "leakcheck7f3a"

    func page(site: String = "Depot 4") -> PageMessage {
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        return PageMessage(
            id: "CR-7K4P-page-1", reference: CrisisReference(parsing: "CR-7K4P")!, category: .violence, site: site,
            callback: "+45 12 34 56 78", drill: false, receivedAt: t0, clocks: [], recipient: "anna", step: 1,
            publicURL: "https://crisisd.example")
    }

    /// `a=1&b=2` as a dictionary, decoded as a form is.
    func form(_ body: [UInt8]?) -> [String: String] {
        let text = String(decoding: body ?? [], as: UTF8.self)
        return Dictionary(
            text.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
                }
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }, uniquingKeysWith: { first, _ in first })
    }

    func generic(
        url: String = "https://sms.example/send", headers: [(String, String)] = [], body: String?,
        contentType: String = "application/json", method: String = "POST"
    ) throws -> SMSGateway {
        .generic(
            GenericSMSRequest(
                method: method, url: try SMSTemplate(url),
                headers: try headers.map { GenericSMSRequest.Header(name: $0.0, value: try SMSTemplate($0.1)) },
                body: try body.map { try SMSTemplate($0) }, contentType: contentType, from: "+4570000000"))
    }

    @Test func twilioGetsAFormWithToFromAndBodyAndBasicAuth() {
        let gateway = SMSGateway.twilio(
            url: "https://api.twilio.example/", accountSID: Self.sid, authToken: "tok", from: "+4570000000")
        let call = SMSNotifier.request(
            gateway, message: page(), phone: "+45 20 00 00 01", timeZone: .gmt, timeout: 3
        ).call
        #expect(call.method == "POST")
        #expect(call.url == "https://api.twilio.example/2010-04-01/Accounts/\(Self.sid)/Messages.json")
        let headers = Dictionary(call.headers, uniquingKeysWith: { first, _ in first })
        #expect(headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(headers["Authorization"] == "Basic " + Data("\(Self.sid):tok".utf8).base64EncodedString())
        #expect(
            form(call.body) == [
                "To": "+4520000001", "From": "+4570000000", "Body": page().smsText(in: .gmt),
            ])
        #expect(String(decoding: call.body ?? [], as: UTF8.self).hasPrefix("To=%2B4520000001&From=%2B4570000000&Body="))
    }

    @Test func aJSONBodyGetsJSONEscapedValuesAndTheURLPercentEncodedOnes() throws {
        let gateway = try generic(
            url: "https://sms.example/send?to={{to}}&ref={{reference}}",
            body: #"{"to":"{{to}}","from":"{{from}}","text":"{{text}}","site":"{{{site}}}"}"#)
        let site = #"Hall "B" \ east & <west>"#
        let call = SMSNotifier.request(
            gateway, message: page(site: site), phone: "+4520000001", timeZone: .gmt, timeout: 3
        )
        .call
        #expect(call.url == "https://sms.example/send?to=%2B4520000001&ref=CR-7K4P")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(call.body ?? [])) as? [String: String],
            "\(String(decoding: call.body ?? [], as: UTF8.self))")
        #expect(json["to"] == "+4520000001")
        #expect(json["from"] == "+4570000000")
        #expect(json["site"] == site, "no HTML escaping on top of the JSON's")
        #expect(json["text"] == page(site: site).smsText(in: .gmt))
        #expect(call.headers.contains { $0 == ("Content-Type", "application/json") })
    }

    @Test func aFormBodyGetsPercentEncodedValues() throws {
        let gateway = try generic(
            body: "to={{to}}&message={{text}}&site={{site}}", contentType: "application/x-www-form-urlencoded")
        let call = SMSNotifier.request(
            gateway, message: page(site: "A&B=C Århus"), phone: "+4520000001", timeZone: .gmt, timeout: 3
        ).call
        #expect(form(call.body)["site"] == "A&B=C Århus")
        #expect(form(call.body)["to"] == "+4520000001")
        #expect(String(decoding: call.body ?? [], as: UTF8.self).contains("site=A%26B%3DC%20%C3%85rhus"))
    }

    @Test func anXMLBodyGetsCharacterEscapes() throws {
        let gateway = try generic(body: "<sms><site>{{site}}</site></sms>", contentType: "text/xml; charset=utf-8")
        let call = SMSNotifier.request(
            gateway, message: page(site: "A & <B>"), phone: "+4520000001", timeZone: .gmt, timeout: 3
        ).call
        #expect(String(decoding: call.body ?? [], as: UTF8.self) == "<sms><site>A &amp; &lt;B&gt;</site></sms>")
    }

    @Test func headersGetTheirValuesAsTheyAre() throws {
        let gateway = try generic(
            headers: [
                ("Authorization", "Bearer k-123"), ("X-Reference", "{{reference}} {{to}}"), ("User-Agent", "ops/1"),
            ], body: "{}")
        let call = SMSNotifier.request(gateway, message: page(), phone: "+4520000001", timeZone: .gmt, timeout: 3).call
        #expect(call.headers.contains { $0 == ("Authorization", "Bearer k-123") })
        #expect(call.headers.contains { $0 == ("X-Reference", "CR-7K4P +4520000001") })
        #expect(call.headers.filter { $0.0 == "User-Agent" }.map(\.1) == ["ops/1"], "the config's, not crisisd's too")
    }

    @Test func aGETHasNoBodyAndNoContentType() throws {
        let gateway = try generic(url: "https://sms.example/send?to={{to}}&msg={{text}}", body: nil, method: "GET")
        let call = SMSNotifier.request(gateway, message: page(), phone: "+4520000001", timeZone: .gmt, timeout: 3).call
        #expect(call.method == "GET")
        #expect(call.body == nil)
        #expect(!call.headers.contains { $0.0 == "Content-Type" })
        #expect(call.url.contains("&msg=CRISIS%20CR-7K4P%20violence"))
    }

    @Test(arguments: [true, false])
    func aFailedDeliveryQuotesNoKeyNoHeaderAndNoNumber(twilio: Bool) async throws {
        let server = EchoServer()
        try await server.start()
        defer { server.stop() }
        let gateway: SMSGateway =
            twilio
            ? .twilio(url: server.base + "/twilio", accountSID: Self.sid, authToken: Self.marker, from: "+4570000000")
            : try generic(
                url: server.base + "/send/\(Self.marker)?key=\(Self.marker)&to={{to}}",
                headers: [("X-Api-Key", "key-\(Self.marker)")], body: #"{"to":"{{to}}"}"#)
        let notifier = SMSNotifier(gateway: gateway, phones: ["anna": "+4520000001"], timeZone: .gmt, timeout: 2)
        let outcome = await notifier.deliver(page())
        guard case .failed(let retryable, let reason, _) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(retryable, "the echo server answers 500")
        #expect(!reason.contains(Self.marker), "\(reason)")
        #expect(!reason.contains("4520000001"), "\(reason)")
        #expect(reason.contains("127.0.0.1"), "the reason still says where the page went: \(reason)")
    }

    @Test func aPersonWithoutAPhoneIsAFailureNotWorthARetry() async {
        let notifier = SMSNotifier(
            gateway: .twilio(url: "http://127.0.0.1:1", accountSID: Self.sid, authToken: "t", from: "+1"), phones: [:],
            timeZone: .gmt, timeout: 1)
        #expect(await notifier.deliver(page()) == .failed(retryable: false, reason: "anna has no phone number"))
    }
}
