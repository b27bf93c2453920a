import ArgumentParser
import CrisisConfig
import CrisisStorage
import Foundation

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make API tokens.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a fresh token once, and the config line with its hash to paste.",
            discussion: """
                The token is shown only now: crisisd keeps its SHA-256, never the token. For a
                requester that already has a token, the line keeps the old hash next to the new
                one, so both work while the requester switches; remove the old one afterwards and
                reload (systemctl reload crisisd).

                Example:
                  crisisctl token new --requester albertslund
                """)

        @OptionGroup var options: ConfigOption

        @Option(help: "The [[requesters]] id the token is for.")
        var requester: String

        func run() throws {
            guard !requester.isEmpty,
                requester.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { throw ValidationError("--requester must be letters, digits, - or _") }
            // The config is read only for the hashes to keep; a missing or broken file still gets a token.
            let existing = (try? ConfigLoader.load(path: options.path))?.requesters.first { $0.id == requester }
            let token = SecretToken.generate()
            let hashes = [SecretToken.sha256(token)] + (existing?.tokenSHA256s ?? [])
            print("Token for requester \(requester) (give it to them now; it is not shown again):")
            print("  \(token)")
            print("")
            print("In the config's [[requesters]] entry with id = \"\(requester)\"\(existing == nil ? " (new)" : ""):")
            print("  token_sha256 = [\(hashes.map { "\"\($0)\"" }.joined(separator: ", "))]")
        }
    }
}
