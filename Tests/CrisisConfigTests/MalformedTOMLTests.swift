import CrisisConfig
import Testing

/// Each `malformed-*.toml` fixture breaks the TOML of `good-minimal.toml` in one way: loading
/// must say "not valid TOML" at the right line, and not crash (several of these lines once made
/// the C++ TOML library abort the process).
struct MalformedTOMLTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let line: Int
        let reason: String
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(
            file: "malformed-triple-bracket.toml", line: 8,
            reason: #"expected a key (letters, digits, - and _, or a quoted name), found "[""#),
        Case(file: "malformed-lone-bracket.toml", line: 8, reason: "expected a key"),
        Case(
            file: "malformed-bang-header.toml", line: 8,
            reason: #"expected a key (letters, digits, - and _, or a quoted name), found "!""#),
        Case(file: "malformed-dot-header.toml", line: 8, reason: #"found ".""#),
        Case(file: "malformed-dots-header.toml", line: 8, reason: #"found ".""#),
        Case(file: "malformed-empty-header.toml", line: 8, reason: #"found "]""#),
        Case(file: "malformed-unclosed-header.toml", line: 12, reason: "the table header is not closed with ]"),
        Case(file: "malformed-unclosed-array-header.toml", line: 6, reason: "the table header is not closed with ]]"),
        Case(
            file: "malformed-unterminated-string.toml", line: 8,
            reason: #"the string is not closed with " before the end of the line"#),
        Case(
            file: "malformed-unterminated-literal.toml", line: 8,
            reason: "the string is not closed with ' before the end of the line"),
        Case(
            file: "malformed-unterminated-multiline.toml", line: 8,
            reason: #"the multi-line string is not closed with """"#),
        Case(file: "malformed-unclosed-list.toml", line: 13, reason: "the list is not closed with ]"),
        Case(file: "malformed-missing-comma.toml", line: 15, reason: "expected , or ] after a list item"),
        Case(file: "malformed-unclosed-inline-table.toml", line: 13, reason: "expected , or } in the inline table"),
        Case(file: "malformed-inline-table-newline.toml", line: 13, reason: "found the end of the line"),
        Case(file: "malformed-duplicate-key.toml", line: 9, reason: "the key people.name is defined twice"),
        Case(file: "malformed-table-twice.toml", line: 16, reason: "the table [escalation] is defined twice"),
        Case(file: "malformed-table-over-value.toml", line: 15, reason: "escalation.steps is already a list"),
        Case(
            file: "malformed-array-of-tables-over-table.toml", line: 17,
            reason: "http is already a table, so [[http]] cannot"),
        Case(file: "malformed-bad-escape.toml", line: 8, reason: #"\q is not an escape"#),
        Case(
            file: "malformed-control-character.toml", line: 8,
            reason: "a string may not hold a control character (U+0001)"),
        Case(file: "malformed-carriage-return.toml", line: 8, reason: "found a control character (U+000D)"),
        Case(file: "malformed-missing-value.toml", line: 9, reason: "expected a value, found the end of the line"),
        Case(file: "malformed-missing-equals.toml", line: 8, reason: "expected = after the key name"),
        Case(
            file: "malformed-unquoted-string.toml", line: 8,
            reason: #"Anna is not a value (a string needs quotes: "Anna")"#),
        Case(file: "malformed-trailing-garbage.toml", line: 10, reason: #"expected the end of the line, found "[""#),
        Case(file: "malformed-bad-number.toml", line: 15, reason: "007 is not a valid number"),
        Case(file: "malformed-deep-nesting.toml", line: 10, reason: "lists and inline tables nest more than 64 deep"),
    ]

    @Test func everyMalformedFixtureHasACase() {
        let malformed = Fixture.names.filter { $0.hasPrefix("malformed-") }
        #expect(Set(malformed) == Set(Self.cases.map(\.file)))
        #expect(malformed.count == Self.cases.count)
    }

    @Test(arguments: cases)
    func aMalformedFileIsNotValidTOMLAtItsLine(_ bad: Case) {
        let issues = Fixture.issues(bad.file)
        #expect(issues.count == 1, "\(ConfigErrors(issues))")
        let issue = issues.first
        #expect(issue?.place == "line \(bad.line)", "\(ConfigErrors(issues))")
        #expect(issue?.message.hasPrefix("not valid TOML (column ") == true, "\(ConfigErrors(issues))")
        #expect(issue?.message.contains(bad.reason) == true, "expected …\(bad.reason)…, got:\n\(ConfigErrors(issues))")
    }

    @Test func theColumnCountsCharactersNotBytes() {
        #expect(throws: TOMLSyntaxError(line: 2, column: 21, reason: #"expected the end of the line, found "x""#)) {
            try TOMLParser.parse("# people\nname = \"Åse Ørsted\" x\n")
        }
    }
}
