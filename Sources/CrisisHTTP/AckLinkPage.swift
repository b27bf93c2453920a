import CrisisCore
import Foundation

/// What one acknowledgement link opens: the crisis as the person may see it (no note, no names
/// of affected people), who the link is for, and whom they may dispatch to the site.
public struct AckLinkPage: Sendable {
    public struct Choice: Sendable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var crisis: CrisisView
    /// The person the link was sent to: they act through it.
    public var person: String
    public var personName: String
    /// Crisis psychologists who may be dispatched.
    public var dispatchable: [Choice]
    /// Who acknowledged, by name, when someone has.
    public var acknowledgedByName: String?
    public var timeZone: TimeZone
    public var now: Date

    public init(
        crisis: CrisisView, person: String, personName: String, dispatchable: [Choice], acknowledgedByName: String?,
        timeZone: TimeZone, now: Date
    ) {
        self.crisis = crisis
        self.person = person
        self.personName = personName
        self.dispatchable = dispatchable
        self.acknowledgedByName = acknowledgedByName
        self.timeZone = timeZone
        self.now = now
    }
}
