import CrisisCore
import Foundation
import Hummingbird
import Logging

/// Twilio's callbacks for a voice page. `POST /v1/voice/TOKEN` (fetched when the call is
/// answered) reads the page and asks for a key; `POST /v1/voice/TOKEN/ack` with `Digits=1`
/// acknowledges as the token's person. TOKEN is the page's acknowledgement-link token.
///
/// Both check `X-Twilio-Signature` against a voice channel's auth token first (403 otherwise),
/// so that the routes tell a stranger nothing, not even whether a token exists. An unknown or
/// expired token is answered 200 with TwiML saying so: Twilio plays only a 2xx answer, and for
/// anything else says "an application error has occurred", which would leave the person guessing.
enum VoiceRoutes {
    static func add(
        to router: Router<CrisisRequestContext>, service: any CrisisService, maxBodyBytes: Int, logger: Logger
    ) {
        router.post("/v1/voice/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard
                let setup = try await signed(
                    request, path: "/v1/voice/\(token)", service: service, limit: maxBodyBytes)?.setup
            else { return TwiML.forbidden() }
            guard let page = try await service.ackLink(token) else { return TwiML.response(TwiML.say(invalid)) }
            return TwiML.response(TwiML.gather(page.crisis, action: "\(setup.publicURL)/v1/voice/\(token)/ack"))
        }

        router.post("/v1/voice/:token/ack") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard
                let form = try await signed(
                    request, path: "/v1/voice/\(token)/ack", service: service, limit: maxBodyBytes)?.form
            else { return TwiML.forbidden() }
            guard let page = try await service.ackLink(token) else { return TwiML.response(TwiML.say(invalid)) }
            guard form["Digits"] == "1" else { return TwiML.response(TwiML.say("Not acknowledged. Goodbye.")) }
            let reference = page.crisis.reference
            guard
                let receipt = try await service.acknowledge(reference, by: page.person, actor: "voice:\(page.person)")
            else { return TwiML.response(TwiML.say(invalid)) }
            logger.info(
                "acknowledged by phone call", metadata: ["crisis_ref": "\(reference)", "person": "\(page.person)"])
            return TwiML.response(
                TwiML.say(
                    receipt.alreadyAcknowledged ? "It was already acknowledged. Thank you." : "Acknowledged. Thank you."
                ))
        }
    }

    static let invalid = "This crisis page is no longer valid. Goodbye."

    /// The config's Twilio setup and the form, when the request's signature is valid for a voice channel.
    static func signed(
        _ request: Request, path: String, service: any CrisisService, limit: Int
    ) async throws -> (setup: TwilioSetup, form: [String: String])? {
        var request = request
        let setup = await service.twilioSetup()
        let form = AckPageRoutes.formFields(String(buffer: try await request.readBody(upTo: min(limit, 65_536))))
        guard
            TwilioSignature.isValid(
                request.headers[TwiML.signatureHeader], authTokens: setup.voiceAuthTokens,
                url: setup.publicURL + path, params: form)
        else { return nil }
        return (setup, form)
    }
}
