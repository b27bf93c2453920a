/// Every 4xx/5xx answer of the API: a sentence, and the field at fault where there is one.
public struct APIErrorBody: Codable, Sendable, Equatable, Error {
    public var error: String
    public var field: String?
    public var problems: [Problem]?

    public struct Problem: Codable, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public init(error: String, field: String? = nil, problems: [FieldError]? = nil) {
        self.error = error
        self.field = field
        self.problems = problems?.map { Problem(field: $0.field, message: $0.message) }
    }

    public init(_ errors: IntakeErrors) {
        let first = errors.problems.first
        self.init(error: errors.description, field: first?.field, problems: errors.problems)
    }
}
