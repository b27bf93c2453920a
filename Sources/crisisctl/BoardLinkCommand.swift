import ArgumentParser
import CrisisCore
import Foundation

struct BoardLinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board-link", abstract: "Print a signed link to the ops board, for a screen or a browser.",
        discussion: """
            The ops board (GET /board on crisisd's public URL) shows the open crises with their \
            clocks, who is on duty and the next hand-offs, failing pages and the last 24 hours of \
            the journal, and reloads itself every 30 seconds. The link opens it without a token \
            until it expires; anyone who has the link can see the board until then, so hand it \
            only to the provider's people. crisisd signs it with a key of its own \
            (board-link.key in its state directory); to revoke every link at once, delete that \
            file and restart crisisd. A person's own API token opens the board too, as \
            Authorization: Bearer TOKEN.

            Examples:
              crisisctl board-link
              crisisctl board-link --valid-for 3d
            """)

    @OptionGroup var options: ConfigOption

    @Option(help: "How long the link works, such as 12h or 3d (at most 31d).")
    var validFor = "12h"

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard let span = TimeSpan(parsing: validFor), span.seconds > 0 else {
            throw ValidationError("--valid-for: \"\(validFor)\" is not a duration such as 12h or 3d")
        }
        guard span.seconds <= BoardLink.longestValidity else {
            throw ValidationError("--valid-for: at most 31d; a board link must expire")
        }
    }

    func run() throws {
        let config = try options.load()
        let client = ControlClient(socket: config.controlSocket)
        let link: BoardLink
        do {
            link = try client.post("/v1/board-link", body: BoardLink.Request(validFor: validFor), as: BoardLink.self)
        } catch {
            throw fail(error, socket: config.controlSocket)
        }
        if json {
            printJSON(link)
            return
        }
        print(link.url)
        warn("Valid until \(Formatting(timeZone: config.timeZone, now: Date()).time(link.expiresAt)).")
    }
}
