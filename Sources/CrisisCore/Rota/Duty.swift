import Foundation

/// Who is on duty on a rotation or schedule over a stretch of time, and why.
public struct Duty: Sendable, Equatable, Codable {
    /// The rotation or schedule asked about.
    public var target: String
    /// Nil for a gap: no one on duty.
    public var person: String?
    public var start: Date
    public var end: Date
    /// The rotation that put the person there, or `override:ID`.
    public var source: String?

    public init(target: String, person: String?, start: Date, end: Date, source: String?) {
        self.target = target
        self.person = person
        self.start = start
        self.end = end
        self.source = source
    }
}
