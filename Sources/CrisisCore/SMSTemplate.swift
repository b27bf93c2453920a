import Mustache

/// A Mustache template of a generic SMS gateway's request (its URL, a header, its body), parsed
/// once when the config is read, so a mistake is a config error and never a failed page.
///
/// A template reaches only `names`. Their values come already escaped for where the template
/// puts them (`SMSTemplate.Values` is built by the sender), so Mustache's own HTML escaping is
/// off: `{{text}}` and `{{{text}}}` render the same.
public struct SMSTemplate: Sendable, Equatable, CustomStringConvertible {
    /// What a template may name.
    public static let names = ["to", "from", "text", "reference", "category", "site", "callback", "ack_url"]

    /// The pragma that turns the HTML escaping off, put before the template as it is parsed.
    private static let plainText = "{{% CONTENT_TYPE: TEXT}}"

    public let source: String
    private let template: MustacheTemplate

    /// Parses `source`; the error says where it fails, never quoting it (a header may hold a key).
    public init(_ source: String) throws(FieldError) {
        self.source = source
        do {
            template = try MustacheTemplate(string: Self.plainText + source)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            // The pragma sits on the first line, before the user's first character.
            let column = error.context.columnNumber - (line == 1 ? Self.plainText.count : 0)
            throw FieldError(
                field: "",
                "is not a valid Mustache template: \(Self.explain(error.error)) at line \(line), column \(column)"
            )
        } catch {
            throw FieldError(field: "", "is not a valid Mustache template: \(error)")
        }
        let unknown = NameRecorder.names(in: template).subtracting(Self.names).sorted()
        if !unknown.isEmpty {
            throw FieldError(
                field: "",
                "names \(unknown.map { "{{\($0)}}" }.joined(separator: ", ")), which is not one of "
                    + Self.names.joined(separator: ", "))
        }
    }

    /// Renders with `values`, keyed by `names`; a name without a value renders empty.
    public func render(_ values: [String: String]) -> String {
        template.render(values)
    }

    public var description: String { source }

    public static func == (lhs: SMSTemplate, rhs: SMSTemplate) -> Bool { lhs.source == rhs.source }

    private static func explain(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with another name"
        case .unfinishedName?: "a tag is not closed with }}"
        case .expectedSectionEnd?: "a section is not closed"
        case .invalidSetDelimiter?: "a set-delimiter tag is malformed"
        case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?: "a {{% pragma}} is not one Mustache knows"
        case .transformAppliedToInheritanceSection?, .illegalTokenInsideInheritSection?,
            .textInsideInheritSection?:
            "template inheritance is malformed"
        // The parser's own error when the text ends in the middle of a tag.
        case nil: "\(error)" == "overflow" ? "the template ends inside a tag" : "\(error)"
        }
    }
}

/// Renders a template to learn which names it looks up: once with every known name given a
/// value, so sections show what is inside them, and once with none, for inverted sections.
private final class NameRecorder: MustacheParent {
    var names: Set<String> = []
    let known: Set<String>

    init(known: Set<String>) { self.known = known }

    func child(named name: String) -> Any? {
        names.insert(name)
        return known.contains(name) ? name : nil
    }

    static func names(in template: MustacheTemplate) -> Set<String> {
        let valued = NameRecorder(known: Set(SMSTemplate.names))
        let empty = NameRecorder(known: [])
        _ = template.render(valued)
        _ = template.render(empty)
        return valued.names.union(empty.names)
    }
}
