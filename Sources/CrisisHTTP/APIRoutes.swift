import CrisisCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The HTTP API, served on TCP for requesters and on the control socket for `crisisctl`.
///
/// | route | what |
/// |---|---|
/// | `POST /v1/crises` | raise a crisis (201 with the receipt, after the commit) |
/// | `POST /v1/crises/REF/ack` | acknowledge |
/// | `POST /v1/crises/REF/milestones` | record contacted, dispatched, onsite, waive-onsite, resolved |
/// | `GET /v1/crises/REF` | one crisis |
/// | `GET /v1/crises` | open crises (control socket only) |
/// | `GET /v1/journal?crisis=REF&since=ISO` | the journal (control socket only) |
/// | `GET /v1/oncall?at=ISO` | who is on duty |
/// | `GET /healthz` | liveness, no authentication |
public enum APIRoutes {
    public static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    public static func router(
        desk: any CrisisDesk, access: Access, maxBodyBytes: Int, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let local: Bool = if case .localSocket = access { true } else { false }

        router.get("/healthz") { _, _ in
            let health = await desk.health()
            return json(health, status: health.status == "ok" ? .ok : .serviceUnavailable)
        }

        // A calendar app cannot send a bearer token: the feed takes a per-person token in the URL.
        router.get("/v1/rota.ics") { request, _ in
            let parameters = request.uri.queryParameters
            let person = parameters.get("person")
            if !local {
                guard let person, let token = parameters.get("token"), await desk.calendarToken(token, opens: person) else {
                    return problem(
                        .unauthorized,
                        APIErrorBody(error: "give person=ID and that person's calendar token=TOKEN", field: "token"))
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await desk.calendar(person: person))))
        }

        router.post("/v1/crises") { request, context in
            await guarded(request, access: access, logger: logger) { actor in
                var request = request
                let key = request.headers[idempotencyHeader]
                if let key, key.isEmpty || key.count > 200 {
                    return problem(.badRequest, APIErrorBody(error: "Idempotency-Key must be 1 to 200 characters", field: "Idempotency-Key"))
                }
                let body = try await request.collectBody(upTo: maxBodyBytes)
                let form = try IntakeDecoding.form(from: Data(buffer: body))
                let receipt = try await desk.receive(form, source: actor, idempotencyKey: key)
                return json(receipt, status: receipt.created ? .created : .ok)
            }
        }

        router.post("/v1/crises/:reference/ack") { request, context in
            await guarded(request, access: access, logger: logger) { actor in
                var request = request
                let reference = try parseReference(context)
                let body = try await request.collectBody(upTo: maxBodyBytes)
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
                guard let receipt = try await desk.acknowledge(reference, by: ack.by, actor: actor) else {
                    return notFound(reference)
                }
                return json(receipt)
            }
        }

        router.post("/v1/crises/:reference/milestones") { request, context in
            await guarded(request, access: access, logger: logger) { actor in
                var request = request
                let reference = try parseReference(context)
                let body = try await request.collectBody(upTo: maxBodyBytes)
                let milestone: MilestoneRequest
                do {
                    milestone = try JSONCoding.decoder().decode(MilestoneRequest.self, from: Data(buffer: body))
                } catch let error as DecodingError {
                    throw IntakeErrors(problems: [IntakeDecoding.fieldError(error)])
                } catch {
                    throw IntakeErrors(problems: [FieldError(field: "body", "is not valid JSON")])
                }
                guard let crisis = try await desk.record(reference, milestone, actor: actor) else { return notFound(reference) }
                return json(crisis)
            }
        }

        router.get("/v1/crises/:reference") { request, context in
            await guarded(request, access: access, logger: logger) { _ in
                let reference = try parseReference(context)
                guard let crisis = try await desk.crisis(reference) else { return notFound(reference) }
                return json(crisis)
            }
        }

        router.get("/v1/oncall") { request, context in
            await guarded(request, access: access, logger: logger) { _ in
                let at = try parseInstant(request.uri.queryParameters.get("at"), field: "at")
                return json(await desk.onCall(at: at))
            }
        }

        if local {
            router.get("/v1/daemon") { request, _ in
                await guarded(request, access: access, logger: logger) { _ in json(await desk.daemonStatus()) }
            }
            router.get("/v1/rota/overrides") { request, _ in
                await guarded(request, access: access, logger: logger) { _ in json(try await desk.overrides()) }
            }
            router.post("/v1/rota/overrides") { request, _ in
                await guarded(request, access: access, logger: logger) { actor in
                    var request = request
                    let body = try await request.collectBody(upTo: maxBodyBytes)
                    let cover = try decode(OverrideRequest.self, from: body)
                    return json(try await desk.addOverride(cover, actor: actor), status: .created)
                }
            }
            router.delete("/v1/rota/overrides/:id") { request, context in
                await guarded(request, access: access, logger: logger) { actor in
                    let id = context.parameters.get("id") ?? ""
                    guard let removed = try await desk.removeOverride(id, actor: actor) else {
                        return problem(.notFound, APIErrorBody(error: "no override \(id) (see crisisctl rota overrides)", field: "id"))
                    }
                    return json(removed)
                }
            }
            router.get("/v1/rota") { request, _ in
                await guarded(request, access: access, logger: logger) { _ in
                    let parameters = request.uri.queryParameters
                    guard let from = try parseInstant(parameters.get("from"), field: "from"),
                        let to = try parseInstant(parameters.get("to"), field: "to"), to > from
                    else { throw FieldError(field: "to", "give from and to (ISO 8601), to after from") }
                    guard to.timeIntervalSince(from) <= 400 * 86_400 else { throw FieldError(field: "to", "at most 400 days") }
                    return json(await desk.rota(from: from, to: to, person: parameters.get("person")))
                }
            }
            router.get("/v1/crises") { request, _ in
                await guarded(request, access: access, logger: logger) { _ in json(try await desk.openCrises()) }
            }
            router.get("/v1/journal") { request, _ in
                await guarded(request, access: access, logger: logger) { _ in
                    let parameters = request.uri.queryParameters
                    var reference: CrisisReference?
                    if let text = parameters.get("crisis") {
                        guard let parsed = CrisisReference(parsing: text) else {
                            throw IntakeErrors(problems: [FieldError(field: "crisis", "\"\(text)\" is not a crisis reference such as CR-7K4P")])
                        }
                        reference = parsed
                    }
                    let since = try parseInstant(parameters.get("since"), field: "since")
                    return json(try await desk.journal(reference: reference, since: since))
                }
            }
        }
        return router
    }

    // MARK: - Helpers

    /// Authenticates, runs the handler, and turns every error into a JSON answer naming the field.
    static func guarded(
        _ request: Request, access: Access, logger: Logger, _ handler: (String) async throws -> Response
    ) async -> Response {
        guard let actor = access.actor(authorization: request.headers[.authorization]) else {
            return problem(
                .unauthorized,
                APIErrorBody(error: "missing or unknown bearer token: send Authorization: Bearer TOKEN", field: "Authorization"))
        }
        do {
            return try await handler(actor)
        } catch let errors as IntakeErrors {
            return problem(.badRequest, APIErrorBody(errors))
        } catch let error as FieldError {
            return problem(.badRequest, APIErrorBody(error: error.description, field: error.field, problems: [error]))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return problem(
                .contentTooLarge, APIErrorBody(error: "the request body is larger than the limit (http.max_body_bytes)", field: "body"))
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return problem(.internalServerError, APIErrorBody(error: "internal error: nothing was recorded; try again or phone the provider"))
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

    static func parseReference(_ context: BasicRequestContext) throws(FieldError) -> CrisisReference {
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

    static func notFound(_ reference: CrisisReference) -> Response {
        problem(.notFound, APIErrorBody(error: "no crisis \(reference)", field: "reference"))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONCoding.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func problem(_ status: HTTPResponse.Status, _ body: APIErrorBody) -> Response {
        json(body, status: status)
    }
}
