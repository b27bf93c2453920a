import CrisisCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /a/TOKEN` shows a page's acknowledgement link; `POST /a/TOKEN` acts through it (a form
/// field `action`: ack, contacted, dispatched with `to`, onsite, waive-onsite with `reason`,
/// resolved with `outcome`) and answers with the page again. `GET` never changes anything: link
/// scanners and chat previews fetch links. The token is the authority, for its crisis and person
/// only; the journal records the person.
enum AckPageRoutes {
    static func add(
        to router: Router<CrisisRequestContext>, service: any CrisisService, maxBodyBytes: Int, logger: Logger
    ) {
        router.get("/a/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            do {
                guard let page = try await service.ackLink(token) else {
                    return html(AckPageHTML.invalid, status: .notFound)
                }
                return html(AckPageHTML.render(page))
            } catch {
                logger.error("acknowledgement page cannot be read", metadata: ["error": "\(error)"])
                return html(AckPageHTML.unavailable, status: .serviceUnavailable)
            }
        }

        router.post("/a/:token") { request, context in
            var request = request
            let token = context.parameters.get("token") ?? ""
            guard let page = try await service.ackLink(token) else {
                return html(AckPageHTML.invalid, status: .notFound)
            }
            let body = try await request.readBody(upTo: min(maxBodyBytes, 16_384))
            let form = formFields(String(buffer: body))
            let actor = "link:\(page.person)"
            let reference = page.crisis.reference
            var notice: String?
            do {
                switch form["action"] {
                case "ack":
                    let receipt = try await service.acknowledge(reference, by: page.person, actor: actor)
                    if receipt?.alreadyAcknowledged == true, let at = page.crisis.acknowledgedAt {
                        let who = page.acknowledgedByName ?? page.crisis.acknowledgedBy ?? "someone"
                        notice =
                            "It was already acknowledged by \(who) at \(AckPageHTML.clockTime(at, in: page.timeZone))."
                    }
                case let milestone?:
                    let request = MilestoneRequest(
                        milestone: milestone, by: page.person, to: form["to"], reason: form["reason"],
                        outcome: form["outcome"])
                    _ = try await service.record(reference, request, actor: actor)
                    notice = "Recorded: \(milestone)."
                case nil:
                    throw FieldError(field: "action", "is required")
                }
            } catch let error as FieldError {
                guard let again = try await service.ackLink(token) else {
                    return html(AckPageHTML.invalid, status: .notFound)
                }
                return html(AckPageHTML.render(again, problem: "\(error.field): \(error.message)"), status: .badRequest)
            } catch {
                // A write that failed may or may not have committed: say so, never "done".
                logger.error(
                    "acknowledgement link action failed",
                    metadata: ["crisis_ref": "\(reference)", "person": "\(page.person)", "error": "\(error)"])
                return html(
                    AckPageHTML.render(
                        page,
                        problem: "This may not have been recorded. Open the link again to see, and try again, "
                            + "or acknowledge by phone with the provider."),
                    status: .internalServerError)
            }
            logger.info(
                "acknowledgement link used", metadata: ["crisis_ref": "\(reference)", "person": "\(page.person)"])
            // Shown fresh, after the change; a resolved crisis ends the link, so say so on the way out.
            guard let after = try await service.ackLink(token) else {
                return html(AckPageHTML.resolved(reference))
            }
            return html(AckPageHTML.render(after, notice: notice))
        }
    }

    /// `application/x-www-form-urlencoded` fields; the last of a repeated name wins.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("Referrer-Policy")!: "no-referrer", HTTPField.Name("X-Frame-Options")!: "DENY",
                HTTPField.Name("Content-Security-Policy")!:
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
