import CrisisCore
import Foundation
import Hummingbird
import Logging

/// `POST /v1/inbound/sms/CHANNEL`: replies to an SMS channel's number, answered as `SMSReply`
/// says.
///
/// - A `twilio` channel takes Twilio's webhook: the form's `From` and `Body`, signed with the
///   channel's auth token over the URL built from `http.public_url`, answered in TwiML.
/// - A `generic` channel with an `inbound_secret` takes a gateway's form (or JSON object) with
///   the sender and the text in the fields it names, and the secret in `X-Crisisd-Secret` or
///   `Authorization` (bearer, or basic with the secret as the password); the answer is plain text, which a gateway may send back as the SMS.
///
/// A missing or wrong signature or secret is 403; any other channel is 404.
enum InboundSMSRoutes {
    static func add(
        to router: Router<CrisisRequestContext>, service: any CrisisService, maxBodyBytes: Int, logger: Logger
    ) {
        router.post("/v1/inbound/sms/:channel") { request, context in
            var request = request
            let channel = context.parameters.get("channel") ?? ""
            let setup = await service.twilioSetup()
            let limit = min(maxBodyBytes, 65_536)
            if let authToken = setup.smsAuthTokens[channel] {
                let form = AckPageRoutes.formFields(String(buffer: try await request.readBody(upTo: limit)))
                guard
                    TwilioSignature.isValid(
                        request.headers[TwiML.signatureHeader], authTokens: [authToken],
                        url: "\(setup.publicURL)/v1/inbound/sms/\(channel)", params: form)
                else { return TwiML.forbidden() }
                let answer = try await SMSReply.answer(
                    from: form["From"] ?? "", text: form["Body"] ?? "", setup: setup, service: service, logger: logger)
                return TwiML.response(TwiML.message(answer))
            }
            guard let inbound = setup.genericSMSInbound[channel] else { return Response(status: .notFound) }
            guard inbound.accepts(GenericSMSInbound.presentedSecret(request.headers)) else {
                logger.warning("SMS reply refused: wrong or missing secret", metadata: ["channel": "\(channel)"])
                return plain("X-Crisisd-Secret is missing or does not match", status: .forbidden)
            }
            let fields = self.fields(
                try await request.readBody(upTo: limit), contentType: request.headers[.contentType])
            for name in [inbound.fromField, inbound.bodyField] where fields[name] == nil {
                return plain(
                    "no field \"\(name)\" in the reply: set inbound_from_field and inbound_body_field to the "
                        + "gateway's names", status: .badRequest)
            }
            let answer = try await SMSReply.answer(
                from: fields[inbound.fromField] ?? "", text: fields[inbound.bodyField] ?? "", setup: setup,
                service: service, logger: logger)
            return plain(answer)
        }
    }

    /// A form's fields, or a JSON object's string and whole-number members (some gateways send
    /// the sender's number as a number).
    static func fields(_ body: ByteBuffer, contentType: String?) -> [String: String] {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            return AckPageRoutes.formFields(String(buffer: body))
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            return [:]
        }
        return object.compactMapValues { value in
            if let text = value as? String { return text }
            if let number = value as? Int { return String(number) }
            return nil
        }
    }

    static func plain(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
