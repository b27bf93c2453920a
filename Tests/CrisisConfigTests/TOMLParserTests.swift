import CrisisConfig
import Testing

/// The project's own TOML parser reads what TOML 1.0 allows (and the config uses), and refuses
/// what TOML forbids about defining keys and tables.
struct TOMLParserTests {
    func parse(_ text: String) throws -> TOMLTable { try TOMLParser.parse(text) }

    @Test func tablesArraysOfTablesAndInlineTablesNestAsWritten() throws {
        let table = try parse(
            """
            # a comment
            timezone = "Europe/Copenhagen"  # and another

            [http]
            listen = "127.0.0.1:8470"

            [[people]]
            id = "anna"
            contacts = ["console", "pages"]

            [[people]]
            id = "bo"
            contacts = []

            [escalation]
            steps = [
                { notify = ["rotation:chiefs"], wait = "5m" },  # first
                "person:lead",
            ]
            repeat = 1
            """)
        #expect(table.keys == ["timezone", "http", "people", "escalation"])
        #expect(table["timezone"] == .string("Europe/Copenhagen"))
        #expect(table["http"]?.table?["listen"] == .string("127.0.0.1:8470"))
        let people = try #require(table["people"]?.array)
        #expect(people.map { $0.table?["id"] } == [.string("anna"), .string("bo")])
        #expect(people[0].table?["contacts"] == .array([.string("console"), .string("pages")]))
        #expect(people[1].table?["contacts"] == .array([]))
        let steps = try #require(table["escalation"]?.table?["steps"]?.array)
        #expect(steps.count == 2)
        #expect(steps[0].table?["wait"] == .string("5m"))
        #expect(steps[0].table?.keys == ["notify", "wait"])
        #expect(steps[1] == .string("person:lead"))
        #expect(table["escalation"]?.table?["repeat"] == .integer(1))
    }

    @Test func dottedKeysAndSubTablesOfArraysOfTables() throws {
        let table = try parse(
            """
            site.name = "Depot"
            site."street address" = 'Vej 1'
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits]]
            name = "banana"
            [a.b.c]
            x = 1
            [a]
            y = 2
            """)
        #expect(table["site"]?.table?["name"] == .string("Depot"))
        #expect(table["site"]?.table?["street address"] == .string("Vej 1"))
        let fruits = try #require(table["fruits"]?.array)
        #expect(fruits.count == 2)
        #expect(fruits[0].table?["physical"]?.table?["color"] == .string("red"))
        #expect(fruits[0].table?["varieties"]?.array?.first?.table?["name"] == .string("red delicious"))
        #expect(fruits[1].table?["name"] == .string("banana"))
        #expect(table["a"]?.table?["b"]?.table?["c"]?.table?["x"] == .integer(1))
        #expect(table["a"]?.table?["y"] == .integer(2), "an implicit table may be defined by its own header later")
    }

    @Test func everyKindOfString() throws {
        let table = try parse(
            #"""
            basic = "tab\there \"quoted\" \\ \u00E9\U0001F600"
            literal = 'C:\Users\nobody'
            multi = """
            Roses are red
            Violets are blue"""
            joined = """\
                   The quick \
                   brown fox."""
            quotes = """Here are two quotation marks: "". Simple enough."""
            ending = """ends with a quote:""""
            raw = '''
            first line
              \n stays as written'''
            empty = ""
            """#)
        #expect(table["basic"] == .string("tab\there \"quoted\" \\ é😀"))
        #expect(table["literal"] == .string(#"C:\Users\nobody"#))
        #expect(table["multi"] == .string("Roses are red\nViolets are blue"))
        #expect(table["joined"] == .string("The quick brown fox."))
        #expect(table["quotes"] == .string(#"Here are two quotation marks: "". Simple enough."#))
        #expect(table["ending"] == .string(#"ends with a quote:""#))
        #expect(table["raw"] == .string("first line\n  \\n stays as written"))
        #expect(table["empty"] == .string(""))
    }

    @Test func numbersBooleansAndDates() throws {
        let table = try parse(
            """
            int = +99
            negative = -17
            big = 1_000_000
            hex = 0xDEAD_beef
            octal = 0o755
            binary = 0b1101
            zero = 0
            float = 6.626e-34
            fraction = -0.01
            infinite = -inf
            yes = true
            no = false
            instant = 1979-05-27T07:32:00Z
            offset = 1979-05-27 00:32:00.999999-07:00
            local = 1979-05-27T07:32:00
            date = 1979-05-27
            time = 07:32:00
            short = 2026-11-02T08:00
            """)
        #expect(table["int"] == .integer(99))
        #expect(table["negative"] == .integer(-17))
        #expect(table["big"] == .integer(1_000_000))
        #expect(table["hex"] == .integer(0xDEAD_BEEF))
        #expect(table["octal"] == .integer(0o755))
        #expect(table["binary"] == .integer(0b1101))
        #expect(table["zero"] == .integer(0))
        #expect(table["float"] == .float(6.626e-34))
        #expect(table["fraction"] == .float(-0.01))
        #expect(table["infinite"] == .float(-.infinity))
        #expect(table["yes"] == .boolean(true) && table["no"] == .boolean(false))
        #expect(table["instant"] == .dateTime("1979-05-27T07:32:00Z"))
        #expect(table["offset"] == .dateTime("1979-05-27 00:32:00.999999-07:00"))
        #expect(table["local"] == .dateTime("1979-05-27T07:32:00"))
        #expect(table["date"] == .dateTime("1979-05-27"))
        #expect(table["time"] == .dateTime("07:32:00"))
        #expect(table["short"] == .dateTime("2026-11-02T08:00"), "TOML 1.1 lets a time leave out its seconds")
    }

    @Test func windowsLineEndingsAndAByteOrderMarkAreRead() throws {
        let table = try parse("\u{FEFF}a = 1\r\n[t]\r\nb = \"\"\"x\r\ny\"\"\"\r\n")
        #expect(table["a"] == .integer(1))
        #expect(table["t"]?.table?["b"] == .string("x\ny"))
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, "the key a is defined twice"),
        ("[t]\n[t]", 2, "the table [t] is defined twice"),
        ("a.b = 1\n[a]", 2, "a was already made a table by dotted keys"),
        ("[a.b]\n[a]\nb.c = 1", 3, "a.b is a table defined by a header, so the dotted key b.c cannot add to it"),
        ("a = { b = 1 }\na.c = 2", 2, "a is already a table written inline"),
        ("a = { b = 1 }\n[a.c]", 2, "a is already a table written inline"),
        ("a = [1]\n[[a]]", 2, "a is already a list, so it cannot be a table too"),
        ("[[a]]\n[a]", 2, "a is a list of tables ([[a]]), so [a] cannot define it"),
        ("a = 1\na.b = 2", 2, "a is already a number"),
        ("a = {b = 1,}", 1, "an inline table may not end with a comma"),
        ("a = 9223372036854775808", 1, "is too large for a whole number"),
        ("a = 1__0", 1, "1__0 is not a valid number"),
        ("a = 2026-02-30", 1, "2026-02-30 is not a valid date or time"),
        ("a = 25:00:00", 1, "25:00:00 is not a valid time"),
        ("a = \"\\uD800\"", 1, "names no Unicode character"),
        ("\"\"\"a\"\"\" = 1", 1, "a key cannot be a multi-line string"),
        ("a = \"\"\"x\"\"\"\"\"\"", 1, "at most five quotes"),
    ])
    func whatTOMLForbidsIsRefusedAtItsLine(text: String, line: Int, reason: String) {
        do {
            _ = try TOMLParser.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test func aKeyInAMessageIsQuotedAndEscapedWhenItIsNotBare() {
        #expect(throws: TOMLSyntaxError(line: 2, column: 1, reason: #"the key "a\u000Ab" is defined twice"#)) {
            try TOMLParser.parse("\"a\\nb\" = 1\n\"a\\nb\" = 2")
        }
    }
}
