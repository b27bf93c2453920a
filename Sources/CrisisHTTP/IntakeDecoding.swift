import CrisisCore
import Foundation

/// Turns a request body into an `IntakeForm`, with errors that name the field at fault.
enum IntakeDecoding {
    static func form(from body: Data) throws(IntakeErrors) -> IntakeForm {
        guard !body.isEmpty else {
            throw IntakeErrors(problems: [
                FieldError(field: "body", "is empty: send a JSON object with category, site and callback")
            ])
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: body)
        } catch {
            throw IntakeErrors(problems: [FieldError(field: "body", "is not valid JSON")])
        }
        guard let fields = object as? [String: Any] else {
            throw IntakeErrors(problems: [FieldError(field: "body", "must be a JSON object")])
        }
        let unknown = fields.keys.filter { !IntakeForm.fieldNames.contains($0) }.sorted()
        if !unknown.isEmpty {
            let known = IntakeForm.fieldNames.sorted().joined(separator: ", ")
            throw IntakeErrors(problems: unknown.map { FieldError(field: $0, "unknown field (known: \(known))") })
        }
        do {
            return try JSONCoding.decoder().decode(IntakeForm.self, from: body)
        } catch let error as DecodingError {
            throw IntakeErrors(problems: [fieldError(error)])
        } catch {
            throw IntakeErrors(problems: [FieldError(field: "body", "cannot be read: \(error)")])
        }
    }

    static func fieldError(_ error: DecodingError) -> FieldError {
        switch error {
        case .typeMismatch(let type, let context):
            let field = context.codingPath.first?.stringValue ?? "body"
            return FieldError(field: field, "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return FieldError(
                field: context.codingPath.first?.stringValue ?? "body", "must be \(describe(type)), not null")
        case .keyNotFound(let key, _):
            return FieldError(field: key.stringValue, "is required")
        case .dataCorrupted(let context):
            return FieldError(field: context.codingPath.first?.stringValue ?? "body", context.debugDescription)
        @unknown default:
            return FieldError(field: "body", "cannot be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type: "a whole number"
        case is String.Type: "a string"
        default: "\(type)"
        }
    }
}
