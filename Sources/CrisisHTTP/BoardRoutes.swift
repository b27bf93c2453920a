import CrisisCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /board`: the ops board, for anyone on the provider's side. It opens with a person's own
/// API token (`Authorization: Bearer`) or with a signed link from `crisisctl board-link`
/// (`?expires=…&sig=…`); the control socket may always see it. A requester's token gets 403:
/// the board shows every requester's crises.
///
/// `POST /v1/board-link` (`{"valid_for": "12h"}`) makes such a link: the control socket only.
enum BoardRoutes {
    static func add(to router: Router<CrisisRequestContext>, service: any CrisisService, access: Access, logger: Logger)
    {
        router.get("/board") { request, context in
            let query = request.uri.queryParameters
            if query.get("sig") != nil || query.get("expires") != nil {
                guard await service.boardLinkOpens(expires: query.get("expires"), signature: query.get("sig")) else {
                    logger.warning("ops board link refused: expired or altered")
                    return page(
                        BoardHTML.refused(
                            "This board link does not work",
                            "It has expired or was altered. Ask for a new one: crisisctl board-link on the server."),
                        status: .forbidden)
                }
            } else {
                let caller = access.caller(authorization: request.headers[.authorization], peerUser: context.peerUser)
                switch caller {
                case nil:
                    return page(
                        BoardHTML.refused(
                            "Sign in to see the board",
                            "Send your own API token as Authorization: Bearer TOKEN, or open a link from "
                                + "crisisctl board-link."),
                        status: .unauthorized)
                case .requester?:
                    return page(
                        BoardHTML.refused(
                            "Not for requesters",
                            "The ops board is the provider's: a requester's token raises crises and reads its own."),
                        status: .forbidden)
                case .person?, .controlSocket?:
                    break
                }
            }
            do {
                return page(BoardHTML.render(try await service.board()))
            } catch {
                logger.error("ops board cannot be read", metadata: ["error": "\(error)"])
                return page(BoardHTML.unavailable, status: .serviceUnavailable)
            }
        }

        router.post("/v1/board-link") { request, context in
            await APIRoutes.guarded(request, context: context, access: access, logger: logger, providerOnly: true) {
                _ in
                var request = request
                let body = try await request.readBody(upTo: 4096)
                let asked =
                    body.readableBytes > 0
                    ? try APIRoutes.decode(BoardLink.Request.self, from: body) : .init(validFor: nil)
                var validFor = BoardLink.defaultValidity
                if let text = asked.validFor {
                    guard let span = TimeSpan(parsing: text), span.seconds > 0 else {
                        throw FieldError(field: "valid_for", "\"\(text)\" is not a duration such as 12h or 3d")
                    }
                    guard span.seconds <= BoardLink.longestValidity else {
                        throw FieldError(field: "valid_for", "at most 31d: a board link must expire")
                    }
                    validFor = span.seconds
                }
                return APIRoutes.json(try await service.boardLink(validFor: validFor), status: .created)
            }
        }
    }

    /// As the acknowledgement page: never cached, never framed, no referrer, no script.
    static func page(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var response = AckPageRoutes.html(text, status: status)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}
