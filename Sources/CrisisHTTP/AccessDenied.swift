import CrisisCore

/// The caller is known but may not do this: answered 403, naming the field at fault.
public struct AccessDenied: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
