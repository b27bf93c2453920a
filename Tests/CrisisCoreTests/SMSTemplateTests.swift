import CrisisCore
import Testing

/// Templates of a generic SMS gateway's request: parsed when the config is read, rendered with
/// values the sender has already escaped, so Mustache's HTML escaping is off.
struct SMSTemplateTests {
    @Test func aTemplateRendersItsValuesAsTheyAre() throws {
        let template = try SMSTemplate(#"{"to":"{{to}}","text":"{{text}}","raw":"{{{text}}}"}"#)
        #expect(
            template.render(["to": "+4520000001", "text": #"a \"quoted\" & <tagged>"#])
                == #"{"to":"+4520000001","text":"a \"quoted\" & <tagged>","raw":"a \"quoted\" & <tagged>"}"#)
    }

    @Test func aSectionShowsAnOptionalValueOnlyWhenThereIsOne() throws {
        let template = try SMSTemplate("to={{to}}{{#from}}&from={{from}}{{/from}}")
        #expect(template.render(["to": "1", "from": "2"]) == "to=1&from=2")
        #expect(template.render(["to": "1"]) == "to=1")
    }

    @Test(arguments: [
        ("to={{to", "is not a valid Mustache template: the template ends inside a tag at line 1, column"),
        ("to={{to}} {{=<% %>}}", "is not a valid Mustache template: a set-delimiter tag is malformed"),
        ("{{#from}}x", "is not a valid Mustache template: a section is not closed"),
        ("{{#from}}x{{/to}}", "is not a valid Mustache template: a section is closed with another name"),
        ("{{phone}}", "names {{phone}}, which is not one of to, from, text, reference, category, site, callback"),
        ("{{#from}}{{sender}}{{/from}}", "names {{sender}}, which is not one of"),
        ("{{^from}}{{sender}}{{/from}}", "names {{sender}}, which is not one of"),
    ])
    func aTemplateThatDoesNotParseOrNamesAnUnknownValueIsRefused(source: String, message: String) {
        #expect {
            _ = try SMSTemplate(source)
        } throws: { error in
            (error as? FieldError)?.message.contains(message) == true
        }
    }

    @Test func theColumnOfAMistakeIsTheUsersOwn() {
        #expect {
            _ = try SMSTemplate("abc{{to")
        } throws: { error in
            (error as? FieldError)?.message.hasSuffix("at line 1, column 8") == true
        }
    }

    @Test func theErrorNeverQuotesTheTemplate() {
        #expect {
            _ = try SMSTemplate("Bearer sk_live_secret{{to")
        } throws: { error in
            !"\(error)".contains("sk_live_secret")
        }
    }
}
