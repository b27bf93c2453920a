import CrisisCore
import Foundation
import Hummingbird
import Logging

/// `POST /v1/inbound/sms/CHANNEL`: Twilio's webhook for replies to a `twilio` SMS channel's
/// number. `1`, `ACK` or `ACK CR-7K4P` from a paged person's phone acknowledges their latest
/// paged unresolved crisis (or the one named) as `sms:PERSON`; anything else, and any unknown
/// number, gets a short help reply that says nothing about any crisis.
///
/// The signature is checked with that channel's auth token against the URL built from
/// `http.public_url`; a missing or wrong one is 403. (The generic SMS flavour has no inbound
/// route yet: gateways sign replies in ways of their own.)
enum InboundSMSRoutes {
    static let help = "Reply 1 or ACK to acknowledge your latest crisis page."

    static func add(
        to router: Router<CrisisRequestContext>, service: any CrisisService, maxBodyBytes: Int, logger: Logger
    ) {
        router.post("/v1/inbound/sms/:channel") { request, context in
            var request = request
            let channel = context.parameters.get("channel") ?? ""
            let setup = await service.twilioSetup()
            guard let authToken = setup.smsAuthTokens[channel] else {
                return Response(status: .notFound)
            }
            let form = AckPageRoutes.formFields(
                String(buffer: try await request.readBody(upTo: min(maxBodyBytes, 65_536))))
            guard
                TwilioSignature.isValid(
                    request.headers[TwiML.signatureHeader], authTokens: [authToken],
                    url: "\(setup.publicURL)/v1/inbound/sms/\(channel)", params: form)
            else { return TwiML.forbidden() }
            guard let phone = setup.phone(form["From"] ?? ""), let command = command(form["Body"] ?? "") else {
                return TwiML.response(TwiML.message(help))
            }
            guard let crisis = try await service.latestPagedCrisis(for: phone.person, named: command) else {
                return TwiML.response(TwiML.message("No open crisis page of yours to acknowledge."))
            }
            if let by = crisis.acknowledgedBy, let at = crisis.acknowledgedAt {
                return TwiML.response(TwiML.message(already(crisis.reference, by: by, at: at, setup: setup)))
            }
            let actor = "sms:\(phone.person)"
            guard let receipt = try await service.acknowledge(crisis.reference, by: phone.person, actor: actor) else {
                return TwiML.response(TwiML.message("No open crisis page of yours to acknowledge."))
            }
            if receipt.alreadyAcknowledged {
                return TwiML.response(
                    TwiML.message(
                        already(receipt.reference, by: receipt.acknowledgedBy, at: receipt.acknowledgedAt, setup: setup)
                    ))
            }
            logger.info(
                "acknowledged by SMS reply",
                metadata: ["crisis_ref": "\(crisis.reference)", "person": "\(phone.person)"])
            return TwiML.response(
                TwiML.message("\(crisis.reference) acknowledged. Call back \(TwilioSetup.digits(crisis.callback))"))
        }
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
