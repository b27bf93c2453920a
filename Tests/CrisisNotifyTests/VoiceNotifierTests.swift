import CrisisCore
import CrisisNotify
import Foundation
import Testing

/// The Calls API request a voice page becomes: who is rung, from which number, and where Twilio
/// fetches what to say; nothing of the crisis in the request itself.
struct VoiceNotifierTests {
    static let account = TwilioAccount(
        url: "https://api.twilio.example/", accountSID: "AC0123456789abcdef0123456789abcdef", authToken: "tok-5e1d",
        from: "+4570000000")

    func page(ackToken: String?) -> PageMessage {
        PageMessage(
            id: "CR-7K4P-page-1", reference: CrisisReference(parsing: "CR-7K4P")!, category: .violence,
            site: "Depot 4", callback: "+45 12 34 56 78", drill: false, receivedAt: Date(timeIntervalSince1970: 0),
            clocks: [], recipient: "anna", step: 1, publicURL: "https://crisisd.example/base/", ackToken: ackToken)
    }

    @Test func theCallIsAFormPOSTWhoseUrlIsTheVoiceRouteOfTheAttemptsToken() throws {
        let token = String(repeating: "x", count: 43)
        let request = try #require(
            VoiceNotifier.request(Self.account, message: page(ackToken: token), phone: "+45 20 00 00 01", timeout: 3))
        #expect(
            request.call.url == "https://api.twilio.example/2010-04-01/Accounts/\(Self.account.accountSID)/Calls.json")
        #expect(request.call.method == "POST")
        let body = String(decoding: request.call.body ?? [], as: UTF8.self)
        #expect(
            body
                == "To=%2B4520000001&From=%2B4570000000&Url=https%3A%2F%2Fcrisisd.example%2Fbase%2Fv1%2Fvoice%2F\(token)"
                + "&Method=POST")
        for crisis in ["CR-7K4P", "Depot", "violence", "12345678"] { #expect(!body.contains(crisis)) }
        #expect(request.secrets.contains("tok-5e1d") && request.secrets.contains("+4520000001"))
    }

    @Test func aPageWithoutItsOwnLinkIsNotCalled() {
        #expect(
            VoiceNotifier.request(Self.account, message: page(ackToken: nil), phone: "+4520000001", timeout: 3) == nil)
    }
}
