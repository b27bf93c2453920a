import CrisisCore
import Foundation
import HTTPTypes
import Hummingbird

/// TwiML answers to Twilio, and how a page is read aloud. What is said comes from the
/// privacy-safe part of a crisis only: reference, category, site and call-back number.
enum TwiML {
    static let signatureHeader = HTTPField.Name("X-Twilio-Signature")!

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }

    /// Letters and digits one by one ("C R 7 K 4 P"): a voice reads "CR-7K4P" as a word.
    static func spelled(_ text: String) -> String {
        text.filter { $0.isLetter || $0.isNumber }.map(String.init).joined(separator: " ")
    }

    /// What a voice page says before the key press.
    static func pageWords(_ crisis: CrisisView) -> String {
        let category = crisis.category.rawValue.replacingOccurrences(of: "_", with: " ")
        return (crisis.drill ? "Drill. " : "")
            + "Crisis page. Reference \(spelled(crisis.reference.description)). \(category) at \(crisis.site). "
            + "Call back \(spelled(crisis.callback.filter(\.isNumber))). Press 1 to acknowledge."
    }

    static func gather(_ crisis: CrisisView, action: String) -> String {
        "<Response><Gather numDigits=\"1\" action=\"\(escape(action))\" method=\"POST\" timeout=\"10\">"
            + "<Say>\(escape(pageWords(crisis)))</Say></Gather><Say>No key pressed. Goodbye.</Say></Response>"
    }

    static func say(_ text: String) -> String { "<Response><Say>\(escape(text))</Say></Response>" }

    static func message(_ text: String) -> String { "<Response><Message>\(escape(text))</Message></Response>" }

    static func response(_ twiml: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/xml; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + twiml)))
    }

    /// A refused signature: nothing about the page or the crisis.
    static func forbidden() -> Response {
        Response(
            status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "X-Twilio-Signature is missing or does not match\n")))
    }
}
