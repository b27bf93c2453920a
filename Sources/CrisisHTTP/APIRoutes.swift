import CrisisCore
import CrisisSystemd
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The HTTP API, served on TCP for requesters and on the control socket for `crisisctl`.
///
/// | route | what | a requester token |
/// |---|---|---|
/// | `POST /v1/crises` | raise a crisis (201 with the receipt, after the commit) | yes |
/// | `GET /v1/crises/REF` | one crisis | its own only |
/// | `POST /v1/crises/REF/ack` | acknowledge | 403 (404 for another's) |
/// | `POST /v1/crises/REF/milestones` | record contacted, dispatched, onsite, waive-onsite, resolved | 403 (404 for another's) |
/// | `GET /v1/crises` | open crises | 403 |
/// | `GET /v1/journal?crisis=REF&since=ISO` | the journal | 403 |
/// | `GET /v1/oncall?at=ISO` | who is on duty | 403 |
/// | `GET /v1/daemon`, `/v1/rota`, `/v1/rota/overrides` | the daemon, the rota and its cover | 403 |
/// | `GET /v1/rota.ics` | a person's shifts, with that person's calendar token | (not a bearer token) |
/// | `GET /healthz` | liveness, no authentication | yes |
/// | `GET`, `POST /a/TOKEN` | a page's acknowledgement link, for its person and crisis (`AckPageRoutes`) | (not a bearer token) |
/// | `POST /v1/voice/TOKEN`, `/v1/voice/TOKEN/ack` | a voice page's TwiML and key press (`VoiceRoutes`) | (Twilio's signature) |
/// | `GET /board` | the ops board, with a person's token or a signed link (`BoardRoutes`) | 403 |
/// | `POST /v1/board-link` | a signed link to the board | 403 |
/// | `POST /v1/inbound/sms/CHANNEL` | an SMS reply that acknowledges (`InboundSMSRoutes`) | (Twilio's signature, or the channel's secret) |
///
/// The control socket may do everything. A requester's crisis lookups go through
/// `RequesterLookups`: another's crisis is answered as an unknown one, and misses are throttled.
public enum APIRoutes {
    public static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    /// - Parameter throttle: counts requester lookups that miss; one per listener.
    public static func router(
        service: any CrisisService, access: Access, maxBodyBytes: Int, logger: Logger,
        throttle: LookupThrottle = LookupThrottle()
    ) -> Router<CrisisRequestContext> {
        let router = Router(context: CrisisRequestContext.self)
        let local: Bool = if case .localSocket = access { true } else { false }
        let lookups = RequesterLookups(service: service, throttle: throttle, logger: logger)

        router.get("/healthz") { _, _ in
            let health = await service.health()
            return json(health, status: health.status == "ok" ? .ok : .serviceUnavailable)
        }

        AckPageRoutes.add(to: router, service: service, maxBodyBytes: maxBodyBytes, logger: logger)
        VoiceRoutes.add(to: router, service: service, maxBodyBytes: maxBodyBytes, logger: logger)
        InboundSMSRoutes.add(to: router, service: service, maxBodyBytes: maxBodyBytes, logger: logger)
        BoardRoutes.add(to: router, service: service, access: access, logger: logger)

        // A calendar app cannot send a bearer token: the feed takes a per-person token in the URL.
        router.get("/v1/rota.ics") { request, _ in
            let parameters = request.uri.queryParameters
            let person = parameters.get("person")
            if !local {
                guard let person, let token = parameters.get("token"), await service.calendarToken(token, opens: person)
                else {
                    return problem(
                        .unauthorized,
                        APIErrorBody(error: "give person=ID and that person's calendar token=TOKEN", field: "token"))
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await service.calendar(person: person))))
        }

        router.post("/v1/crises") { request, context in
            await guarded(request, context: context, access: access, logger: logger) { caller in
                if caller.person != nil {
                    throw AccessDenied(
                        field: "Authorization", "a psychologist's token acts on crises; requesters raise them")
                }
                var request = request
                let key = request.headers[idempotencyHeader]
                if let key, key.isEmpty || key.count > 200 {
                    return problem(
                        .badRequest,
                        APIErrorBody(error: "Idempotency-Key must be 1 to 200 characters", field: "Idempotency-Key"))
                }
                let body = try await request.readBody(upTo: maxBodyBytes)
                let form = try IntakeDecoding.form(from: Data(buffer: body))
                let receipt = try await service.receive(form, source: caller.actor, idempotencyKey: key)
                return json(bytes: receipt.json, status: receipt.created ? .created : .ok)
            }
        }

        router.post("/v1/crises/:reference/ack") { request, context in
            await guarded(request, context: context, access: access, logger: logger) { caller in
                var request = request
                let reference = try parseReference(context)
                if let refusal = try await lookups.refusal(reference, caller: caller, address: context.clientAddress) {
                    return refusal
                }
                guard caller.actsForTheProvider || caller.person != nil else {
                    return providerOnly("acknowledges a crisis")
                }
                let body = try await request.readBody(upTo: maxBodyBytes)
                var ack = AckRequest()
                if body.readableBytes > 0 {
                    do {
                        ack = try JSONCoding.decoder().decode(AckRequest.self, from: Data(buffer: body))
                    } catch let error as DecodingError {
                        throw IntakeErrors(problems: [IntakeDecoding.fieldError(error)])
                    } catch {
                        throw IntakeErrors(problems: [FieldError(field: "body", "is not valid JSON")])
                    }
                }
                if let person = caller.person {
                    // A person's token acknowledges as that person, never as someone else.
                    if let by = ack.by, by != person {
                        throw AccessDenied(field: "by", "a person's token acknowledges as \(person) only")
                    }
                    ack.by = person
                }
                guard let receipt = try await service.acknowledge(reference, by: ack.by, actor: caller.actor) else {
                    return notFound(reference)
                }
                return json(receipt)
            }
        }

        router.post("/v1/crises/:reference/milestones") { request, context in
            await guarded(request, context: context, access: access, logger: logger) { caller in
                var request = request
                let reference = try parseReference(context)
                if let refusal = try await lookups.refusal(reference, caller: caller, address: context.clientAddress) {
                    return refusal
                }
                guard caller.actsForTheProvider || caller.person != nil else {
                    return providerOnly("records milestones")
                }
                let body = try await request.readBody(upTo: maxBodyBytes)
                var milestone: MilestoneRequest
                do {
                    milestone = try JSONCoding.decoder().decode(MilestoneRequest.self, from: Data(buffer: body))
                } catch let error as DecodingError {
                    throw IntakeErrors(problems: [IntakeDecoding.fieldError(error)])
                } catch {
                    throw IntakeErrors(problems: [FieldError(field: "body", "is not valid JSON")])
                }
                if let person = caller.person {
                    if let by = milestone.by, by != person {
                        throw AccessDenied(field: "by", "a person's token records milestones as \(person) only")
                    }
                    milestone.by = person
                }
                guard let crisis = try await service.record(reference, milestone, actor: caller.actor) else {
                    return notFound(reference)
                }
                return json(crisis)
            }
        }

        router.get("/v1/crises/:reference") { request, context in
            await guarded(request, context: context, access: access, logger: logger) { caller in
                let reference = try parseReference(context)
                if let refusal = try await lookups.refusal(reference, caller: caller, address: context.clientAddress) {
                    return refusal
                }
                guard let crisis = try await service.crisis(reference) else { return notFound(reference) }
                return json(crisis)
            }
        }

        // The provider's routes: served on TCP too, so that a requester token hears 403, not 404.
        router.get("/v1/oncall") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { _ in
                let at = try parseInstant(request.uri.queryParameters.get("at"), field: "at")
                return json(await service.onCall(at: at))
            }
        }
        router.get("/v1/daemon") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { _ in
                json(await service.daemonStatus())
            }
        }
        router.get("/v1/rota/overrides") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { _ in
                json(try await service.overrides())
            }
        }
        router.post("/v1/rota/overrides") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { caller in
                var request = request
                let body = try await request.readBody(upTo: maxBodyBytes)
                let cover = try decode(OverrideRequest.self, from: body)
                return json(try await service.addOverride(cover, actor: caller.actor), status: .created)
            }
        }
        router.delete("/v1/rota/overrides/:id") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { caller in
                let id = context.parameters.get("id") ?? ""
                guard let removed = try await service.removeOverride(id, actor: caller.actor) else {
                    return problem(
                        .notFound, APIErrorBody(error: "no override \(id) (see crisisctl rota overrides)", field: "id"))
                }
                return json(removed)
            }
        }
        router.get("/v1/rota") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { _ in
                let parameters = request.uri.queryParameters
                guard let from = try parseInstant(parameters.get("from"), field: "from"),
                    let to = try parseInstant(parameters.get("to"), field: "to"), to > from
                else { throw FieldError(field: "to", "give from and to (ISO 8601), to after from") }
                guard to.timeIntervalSince(from) <= 400 * 86_400 else {
                    throw FieldError(field: "to", "at most 400 days")
                }
                return json(await service.rota(from: from, to: to, person: parameters.get("person")))
            }
        }
        router.get("/v1/crises") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { _ in
                json(try await service.openCrises())
            }
        }
        router.get("/v1/journal") { request, context in
            await guarded(request, context: context, access: access, logger: logger, providerOnly: true) { _ in
                let parameters = request.uri.queryParameters
                var reference: CrisisReference?
                if let text = parameters.get("crisis") {
                    guard let parsed = CrisisReference(parsing: text) else {
                        throw IntakeErrors(problems: [
                            FieldError(field: "crisis", "\"\(text)\" is not a crisis reference such as CR-7K4P")
                        ])
                    }
                    reference = parsed
                }
                let since = try parseInstant(parameters.get("since"), field: "since")
                return json(try await service.journal(reference: reference, since: since))
            }
        }
        return router
    }

    // MARK: - Helpers

    /// Authenticates, runs the handler, and turns every error into a JSON answer naming the field.
    /// - Parameter providerOnly: the route is the provider's: a requester token gets 403.
    static func guarded(
        _ request: Request, context: CrisisRequestContext, access: Access, logger: Logger, providerOnly: Bool = false,
        _ handler: (Caller) async throws -> Response
    ) async -> Response {
        guard let caller = access.caller(authorization: request.headers[.authorization], peerUser: context.peerUser)
        else {
            return problem(
                .unauthorized,
                APIErrorBody(
                    error: "missing or unknown bearer token: send Authorization: Bearer TOKEN", field: "Authorization"))
        }
        if providerOnly && !caller.actsForTheProvider { return self.providerOnly("uses this route") }
        do {
            return try await handler(caller)
        } catch let denied as AccessDenied {
            return problem(.forbidden, APIErrorBody(error: denied.description, field: denied.field))
        } catch let errors as IntakeErrors {
            return problem(.badRequest, APIErrorBody(errors))
        } catch let error as FieldError {
            return problem(.badRequest, APIErrorBody(error: error.description, field: error.field, problems: [error]))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return problem(
                .contentTooLarge,
                APIErrorBody(error: "the request body is larger than the limit (http.max_body_bytes)", field: "body"))
        } catch let failure as WriteFailure {
            logger.error(
                "request failed",
                metadata: .event(.storeWriteFailing, ["path": "\(request.uri.path)", "error": "\(failure)"]))
            return problem(.internalServerError, APIErrorBody(error: failure.answer))
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            // Only the service knows whether a write committed; unclassified, a write's fate is unknown.
            let answer =
                request.method == .get
                ? "internal error: the read failed (the daemon's log says why); try again or phone the provider"
                : "internal error: this may or may not have been recorded; check with crisisctl status or crisisctl journal "
                    + "before sending it again, or phone the provider"
            return problem(.internalServerError, APIErrorBody(error: answer))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw IntakeErrors(problems: [IntakeDecoding.fieldError(error)])
        } catch {
            throw IntakeErrors(problems: [FieldError(field: "body", "is not valid JSON")])
        }
    }

    static func parseReference(_ context: CrisisRequestContext) throws(FieldError) -> CrisisReference {
        let text = context.parameters.get("reference") ?? ""
        guard let reference = CrisisReference(parsing: text) else {
            throw FieldError(field: "reference", "\"\(text)\" is not a crisis reference such as CR-7K4P")
        }
        return reference
    }

    static func parseInstant(_ text: String?, field: String) throws(FieldError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw FieldError(field: field, "\"\(text)\" is not an ISO 8601 time such as 2026-11-23T14:00:00Z")
        }
        return date
    }

    /// 403 for a requester token on the provider's work, saying who does it instead.
    static func providerOnly(_ what: String) -> Response {
        problem(
            .forbidden,
            APIErrorBody(
                error:
                    "a requester token raises crises and reads the ones it raised; the provider \(what), with crisisctl on the server",
                field: "Authorization"))
    }

    /// The same answer whether the crisis does not exist or is another requester's.
    static func notFound(_ reference: CrisisReference) -> Response {
        problem(.notFound, APIErrorBody(error: "no crisis \(reference)", field: "reference"))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: Array((try? JSONCoding.encoder().encode(value)) ?? Data("{}".utf8)), status: status)
    }

    /// A body already written as JSON (an intake's receipt, `IntakeReceipt.json`).
    static func json(bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func problem(_ status: HTTPResponse.Status, _ body: APIErrorBody) -> Response {
        json(body, status: status)
    }
}
