import Foundation

/// A crisis report as it arrives, from `crisisctl trigger` or `POST /v1/crises`, before it is checked.
///
/// Every field is optional here so that a missing one is reported by name, not as a decoding failure.
public struct IntakeForm: Codable, Sendable, Equatable {
    public var category: String?
    public var site: String?
    public var callback: String?
    public var requesterName: String?
    public var requesterRole: String?
    public var group: Bool?
    public var people: Int?
    public var note: String?
    public var drill: Bool?

    public init(
        category: String? = nil, site: String? = nil, callback: String? = nil, requesterName: String? = nil,
        requesterRole: String? = nil, group: Bool? = nil, people: Int? = nil, note: String? = nil, drill: Bool? = nil
    ) {
        self.category = category
        self.site = site
        self.callback = callback
        self.requesterName = requesterName
        self.requesterRole = requesterRole
        self.group = group
        self.people = people
        self.note = note
        self.drill = drill
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case category, site, callback, group, people, note, drill
        case requesterName = "requester_name"
        case requesterRole = "requester_role"
    }

    /// The JSON keys a request may carry; anything else is a typo worth reporting.
    public static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    public static let maxSiteLength = 200
    public static let maxNameLength = 200
    public static let maxNoteLength = 4000
    public static let maxPeople = 10_000

    /// Checks every field and returns the intake, or every problem found, each naming its field.
    public func validated() throws(IntakeErrors) -> Intake {
        var problems: [FieldError] = []

        let category = self.category.flatMap { CrisisCategory(rawValue: $0.lowercased()) }
        if self.category == nil {
            problems.append(FieldError(field: "category", "is required (one of \(CrisisCategory.allNames))"))
        } else if category == nil {
            problems.append(
                FieldError(field: "category", "\"\(self.category!)\" is not one of \(CrisisCategory.allNames)"))
        }

        let site = self.site?.trimmed(newlines: true) ?? ""
        if site.isEmpty {
            problems.append(FieldError(field: "site", "is required: where it happened (workplace, address)"))
        } else if site.count > Self.maxSiteLength {
            problems.append(FieldError(field: "site", "is longer than \(Self.maxSiteLength) characters"))
        }

        let callback = self.callback?.trimmed(newlines: true) ?? ""
        if callback.isEmpty {
            problems.append(FieldError(field: "callback", "is required: the phone number the psychologist calls back"))
        } else if !PhoneNumber.isPlausible(callback) {
            problems.append(
                FieldError(field: "callback", "\"\(callback)\" is not a phone number (digits, optional leading +)"))
        }

        let role: RequesterRole?
        if let text = requesterRole {
            role = RequesterRole(rawValue: text.lowercased())
            if role == nil {
                problems.append(
                    FieldError(field: "requester_role", "\"\(text)\" is not one of \(RequesterRole.allNames)"))
            }
        } else {
            role = .leader
        }

        let name = requesterName?.trimmed(newlines: true)
        if let name, name.count > Self.maxNameLength {
            problems.append(FieldError(field: "requester_name", "is longer than \(Self.maxNameLength) characters"))
        }

        if let people, !(1...Self.maxPeople).contains(people) {
            problems.append(FieldError(field: "people", "must be between 1 and \(Self.maxPeople), not \(people)"))
        }

        if let note, note.count > Self.maxNoteLength {
            problems.append(FieldError(field: "note", "is longer than \(Self.maxNoteLength) characters"))
        }

        guard problems.isEmpty, let category, let role else { throw IntakeErrors(problems: problems) }
        return Intake(
            category: category, site: site, callback: callback, requesterName: name.flatMap { $0.isEmpty ? nil : $0 },
            requesterRole: role, group: group ?? false, people: people, note: note.flatMap { $0.isEmpty ? nil : $0 },
            drill: drill ?? false)
    }
}

/// Every problem found in one intake form.
public struct IntakeErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [FieldError]

    public init(problems: [FieldError]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
