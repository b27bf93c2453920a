import CrisisCore
import Testing

struct IntakeFormTests {
    /// A form that passes, for tests to spoil one field at a time.
    static let good = IntakeForm(
        category: "violence", site: "Albertslund Rådhus, Nordmarks Allé 1", callback: "+45 20 00 00 01")

    /// The problems `validated()` reports, or none when the form passes.
    func problems(_ form: IntakeForm) -> [FieldError] {
        do {
            _ = try form.validated()
            return []
        } catch {
            return error.problems
        }
    }

    func changed(_ change: (inout IntakeForm) -> Void) -> IntakeForm {
        var form = Self.good
        change(&form)
        return form
    }

    @Test func aCompleteFormPasses() throws {
        let intake = try Self.good.validated()
        #expect(intake.category == .violence)
        #expect(intake.site == "Albertslund Rådhus, Nordmarks Allé 1")
        #expect(intake.callback == "+45 20 00 00 01")
    }

    @Test func aMissingCategoryIsReportedByName() {
        let found = problems(changed { $0.category = nil })
        #expect(found.map(\.field) == ["category"])
        #expect(found.first?.message.contains("is required") == true)
        #expect(found.first?.message.contains("violence, accident, death, harassment, other") == true)
    }

    @Test func anUnknownCategoryIsReportedWithTheAllowedOnes() {
        let found = problems(changed { $0.category = "fire" })
        #expect(found.map(\.field) == ["category"])
        #expect(
            found.first?.message.contains("\"fire\" is not one of violence, accident, death, harassment, other") == true
        )
    }

    @Test func theCategoryMayBeWrittenInAnyCase() throws {
        #expect(try changed { $0.category = "Harassment" }.validated().category == .harassment)
    }

    @Test(arguments: [nil, "", "   ", "\n\t"] as [String?])
    func anEmptySiteIsReportedByName(site: String?) {
        #expect(problems(changed { $0.site = site }).map(\.field) == ["site"])
    }

    @Test func aSiteLongerThanTheLimitIsReportedByName() {
        let found = problems(changed { $0.site = String(repeating: "x", count: IntakeForm.maxSiteLength + 1) })
        #expect(found.map(\.field) == ["site"])
        #expect(found.first?.message.contains("longer than 200") == true)
    }

    @Test func aSiteExactlyAtTheLimitPasses() {
        #expect(problems(changed { $0.site = String(repeating: "x", count: IntakeForm.maxSiteLength) }).isEmpty)
    }

    @Test(arguments: [nil, "", "  "] as [String?])
    func aMissingCallbackIsReportedByName(callback: String?) {
        let found = problems(changed { $0.callback = callback })
        #expect(found.map(\.field) == ["callback"])
        #expect(found.first?.message.contains("is required") == true)
    }

    @Test(arguments: ["call Anna", "12", "+45 20 00 00 0x", "20+45"])
    func aCallbackThatIsNotAPhoneNumberIsReportedByName(callback: String) {
        let found = problems(changed { $0.callback = callback })
        #expect(found.map(\.field) == ["callback"])
        #expect(found.first?.message.contains("is not a phone number") == true)
    }

    @Test func anUnknownRequesterRoleIsReportedByName() {
        let found = problems(changed { $0.requesterRole = "boss" })
        #expect(found.map(\.field) == ["requester_role"])
        #expect(found.first?.message.contains("\"boss\" is not one of leader, leaders-leader, hr, employee") == true)
    }

    @Test(arguments: [
        ("leader", RequesterRole.leader), ("leaders-leader", .leadersLeader), ("HR", .hr), ("employee", .employee),
    ])
    func everyRequesterRoleIsAccepted(text: String, role: RequesterRole) throws {
        #expect(try changed { $0.requesterRole = text }.validated().requesterRole == role)
    }

    @Test(arguments: [0, -1, IntakeForm.maxPeople + 1])
    func aNumberOfPeopleOutsideTheRangeIsReportedByName(people: Int) {
        let found = problems(changed { $0.people = people })
        #expect(found.map(\.field) == ["people"])
        #expect(found.first?.message.contains("between 1 and 10000, not \(people)") == true)
    }

    @Test(arguments: [1, IntakeForm.maxPeople])
    func aNumberOfPeopleAtTheEdgesOfTheRangePasses(people: Int) throws {
        #expect(try changed { $0.people = people }.validated().people == people)
    }

    @Test func aNoteLongerThanTheLimitIsReportedByName() {
        let found = problems(changed { $0.note = String(repeating: "n", count: IntakeForm.maxNoteLength + 1) })
        #expect(found.map(\.field) == ["note"])
    }

    @Test func aRequesterNameLongerThanTheLimitIsReportedByName() {
        let found = problems(changed { $0.requesterName = String(repeating: "a", count: IntakeForm.maxNameLength + 1) })
        #expect(found.map(\.field) == ["requester_name"])
    }

    @Test func anEmptyFormReportsEveryRequiredFieldAtOnce() {
        #expect(problems(IntakeForm()).map(\.field) == ["category", "site", "callback"])
    }

    @Test func severalProblemsAreReportedTogetherInFieldOrder() {
        let form = IntakeForm(
            category: "flood", site: "  ", callback: "ring me", requesterName: nil, requesterRole: "janitor",
            group: true, people: 0, note: String(repeating: "n", count: 4001))
        let found = problems(form)
        #expect(found.map(\.field) == ["category", "site", "callback", "requester_role", "people", "note"])
        do {
            _ = try form.validated()
            Issue.record("the form should not pass")
        } catch {
            #expect(error.description.split(separator: ";").count == 6)
            #expect(error.description.hasPrefix("category: \"flood\" is not one of"))
        }
    }

    @Test func omittedOptionalFieldsTakeTheirDefaults() throws {
        let intake = try Self.good.validated()
        #expect(intake.requesterRole == .leader)
        #expect(intake.group == false)
        #expect(intake.drill == false)
        #expect(intake.people == nil)
        #expect(intake.requesterName == nil)
        #expect(intake.note == nil)
    }

    @Test func givenOptionalFieldsAreKept() throws {
        let intake = try changed {
            $0.group = true
            $0.drill = true
            $0.people = 12
            $0.requesterName = "Jens Jensen"
            $0.note = "two injured"
        }.validated()
        #expect(intake.group)
        #expect(intake.drill)
        #expect(intake.people == 12)
        #expect(intake.requesterName == "Jens Jensen")
        #expect(intake.note == "two injured")
    }

    @Test func surroundingWhitespaceIsTrimmed() throws {
        let intake = try IntakeForm(
            category: "accident", site: "  Hospital, ward 4 \n", callback: "  +45 20 00 00 01  ",
            requesterName: "  Jens Jensen  "
        ).validated()
        #expect(intake.site == "Hospital, ward 4")
        #expect(intake.callback == "+45 20 00 00 01")
        #expect(intake.requesterName == "Jens Jensen")
    }

    @Test func aBlankRequesterNameOrNoteCountsAsNone() throws {
        let intake = try changed {
            $0.requesterName = "   "
            $0.note = ""
        }.validated()
        #expect(intake.requesterName == nil)
        #expect(intake.note == nil)
    }

    @Test func theJSONFieldNamesAreSnakeCase() {
        #expect(
            IntakeForm.fieldNames
                == [
                    "category", "site", "callback", "requester_name", "requester_role", "group", "people", "note",
                    "drill",
                ])
    }
}
