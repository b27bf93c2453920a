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
        // One pass: the form's own decoding, its keys checked first. A second parse only to list
        // the keys (JSONSerialization) was a third of the request's decoding time.
        do {
            return try JSONCoding.decoder().decode(KnownFields.self, from: body).form
        } catch let unknown as UnknownFields {
            let known = IntakeForm.fieldNames.sorted().joined(separator: ", ")
            throw IntakeErrors(problems: unknown.names.map { FieldError(field: $0, "unknown field (known: \(known))") })
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw IntakeErrors(problems: [FieldError(field: "body", "is not valid JSON")])
        } catch let error as DecodingError {
            // Valid JSON that is not an object (an array, a string, null) fails before any field.
            guard Self.isNotAnObject(error) else { throw IntakeErrors(problems: [fieldError(error)]) }
            throw IntakeErrors(problems: [FieldError(field: "body", "must be a JSON object")])
        } catch {
            throw IntakeErrors(problems: [FieldError(field: "body", "cannot be read: \(error)")])
        }
    }

    /// The form, decoded only when every key of the object is one of its fields.
    private struct KnownFields: Decodable {
        var form: IntakeForm

        init(from decoder: any Decoder) throws {
            let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
                .filter { !IntakeForm.fieldNames.contains($0) }
            guard unknown.isEmpty else { throw UnknownFields(names: unknown.sorted()) }
            form = try IntakeForm(from: decoder)
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct UnknownFields: Error {
        var names: [String]
    }

    private static func isNotAnObject(_ error: DecodingError) -> Bool {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context): context.codingPath.isEmpty
        default: false
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
