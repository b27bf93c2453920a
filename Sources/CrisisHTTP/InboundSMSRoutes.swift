import CrisisCore
import Foundation
import Hummingbird
import Logging

/// `POST /v1/inbound/sms/CHANNEL`: Twilio's webhook for replies to a `twilio` SMS channel's
/// number, answered as `SMSReply` says.
///
/// The signature is checked with that channel's auth token against the URL built from
/// `http.public_url`; a missing or wrong one is 403. (The generic SMS flavour has no inbound
/// route yet: gateways sign replies in ways of their own.)
enum InboundSMSRoutes {
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
            let answer = try await SMSReply.answer(
                from: form["From"] ?? "", text: form["Body"] ?? "", setup: setup, service: service, logger: logger)
            return TwiML.response(TwiML.message(answer))
        }
    }
}
