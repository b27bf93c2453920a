import CrisisCore
import Foundation

/// A page as an RFC 5322 message: plain UTF-8 text, CRLF line endings, the page's first line as
/// the subject. 7bit when the page is ASCII, quoted-printable otherwise: a server that never
/// announced 8BITMIME may refuse or mangle raw 8-bit bytes.
public enum EmailMessage {
    public static func render(
        _ page: PageMessage, from: String, to: String, timeZone: TimeZone, date: Date
    ) -> [UInt8] {
        let text = page.text(in: timeZone)
        // Any line break (CR, LF, CRLF, U+2028) ends a line: no bare CR or LF reaches the server.
        let body = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let subject = body.first ?? ""
        let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
        let headers = [
            "Date: \(rfc5322Date(date, in: timeZone))",
            "From: \(from)",
            "To: \(to)",
            encodedHeader("Subject", subject),
            "Message-ID: <\(atom(page.id)).\(page.attempt)@crisisd>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(ascii ? "7bit" : "quoted-printable")",
            // Tells autoresponders (out of office) not to answer a page.
            "Auto-Submitted: auto-generated",
        ]
        let lines = ascii ? body : body.map(quotedPrintable)
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// `Thu, 15 Jan 2027 09:00:00 +0100`, in English whatever the machine's locale.
    static func rfc5322Date(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = Calendar.gregorian(in: timeZone).dateComponents(
            [.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = timeZone.secondsFromGMT(for: date) / 60
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d %@%02d%02d", weekdays[(parts.weekday ?? 1) - 1], parts.day ?? 1,
            months[(parts.month ?? 1) - 1], parts.year ?? 1970, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0,
            offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
    }

    /// `Name: value`, folded at spaces to about 78 characters when ASCII; RFC 2047 encoded words
    /// otherwise, or when the value could be mistaken for one (`=?`). Control characters become
    /// spaces, so nothing in a site's name can start a header of its own.
    static func encodedHeader(_ name: String, _ value: String) -> String {
        let clean = String(
            value.map { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : $0 })
        guard clean.unicodeScalars.allSatisfy(\.isASCII), !clean.contains("=?") else {
            // Each word carries at most 39 bytes (52 in base64), and a character is never split.
            var words: [String] = []
            var chunk: [UInt8] = []
            for character in clean {
                let bytes = Array(character.utf8)
                if !chunk.isEmpty && chunk.count + bytes.count > 39 {
                    words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                    chunk = []
                }
                chunk += bytes
            }
            if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
            return "\(name): " + words.joined(separator: "\r\n ")
        }
        var lines: [String] = []
        var line = "\(name):"
        for word in clean.split(separator: " ", omittingEmptySubsequences: false) {
            // Never before an empty word: a folded line of blanks only is not allowed.
            if line.count + 1 + word.count > 78, line.count > name.count + 1, !word.isEmpty {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        return (lines + [line]).joined(separator: "\r\n")
    }

    /// One line in quoted-printable (RFC 2045): soft breaks keep each under 77 characters.
    static func quotedPrintable(_ line: String) -> String {
        let bytes = Array(line.utf8)
        var out = ""
        var length = 0
        for (index, byte) in bytes.enumerated() {
            let last = index == bytes.count - 1
            let literal =
                ((33...126).contains(byte) && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last)
            let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
            if length + piece.count > 75 {
                out += "=\r\n"
                length = 0
            }
            out += piece
            length += piece.count
        }
        return out
    }

    /// A page id as a Message-ID's left part: letters, digits and `-` only.
    static func atom(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
    }
}
