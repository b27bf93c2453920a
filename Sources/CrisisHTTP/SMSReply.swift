import CrisisCore
import Foundation
import Logging

/// What an SMS reply to a page asks for and the words it is answered with, whichever gateway
/// brought it: `1`, `ACK` or `ACK CR-7K4P` from a paged person's phone acknowledges their latest
/// paged unresolved crisis (or the one named) as `sms:PERSON`; anything else, and any unknown
/// number, gets a short help text that says nothing about any crisis.
enum SMSReply {
    static let help = "Reply 1 or ACK to acknowledge your latest crisis page."
    static let nothingOpen = "No open crisis page of yours to acknowledge."

    /// Acts on a reply and says what it did, in words for an SMS.
    static func answer(
        from sender: String, text: String, setup: TwilioSetup, service: any CrisisService, logger: Logger
    ) async throws -> String {
        guard let phone = setup.phone(sender), let command = command(text) else { return help }
        guard let crisis = try await service.latestPagedCrisis(for: phone.person, named: command) else {
            return nothingOpen
        }
        if let by = crisis.acknowledgedBy, let at = crisis.acknowledgedAt {
            return already(crisis.reference, by: by, at: at, setup: setup)
        }
        let actor = "sms:\(phone.person)"
        guard let receipt = try await service.acknowledge(crisis.reference, by: phone.person, actor: actor) else {
            return nothingOpen
        }
        if receipt.alreadyAcknowledged {
            return already(receipt.reference, by: receipt.acknowledgedBy, at: receipt.acknowledgedAt, setup: setup)
        }
        logger.info(
            "acknowledged by SMS reply", metadata: ["crisis_ref": "\(crisis.reference)", "person": "\(phone.person)"])
        return "\(crisis.reference) acknowledged. Call back \(TwilioSetup.digits(crisis.callback))"
    }

    /// What a reply asks for: `.some(nil)` the latest crisis, `.some(ref)` a named one; nil is not a command.
    static func command(_ body: String) -> CrisisReference?? {
        let words = body.trimmingCharacters(in: .whitespacesAndNewlines).uppercased().split(
            whereSeparator: \.isWhitespace)
        switch words.count {
        case 1 where words[0] == "1" || words[0] == "ACK":
            return .some(nil)
        case 2 where words[0] == "ACK":
            return CrisisReference(parsing: String(words[1])).map { .some($0) }
        default:
            return nil
        }
    }

    static func already(_ reference: CrisisReference, by: String, at: Date, setup: TwilioSetup) -> String {
        let name = setup.phones.first { $0.person == by }?.name ?? by
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = setup.timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: at)
        return String(
            format: "%@ was already acknowledged by %@ at %02d:%02d", reference.description, name, parts.hour ?? 0,
            parts.minute ?? 0)
    }
}
