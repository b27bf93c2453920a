import Foundation

/// What a committed change asks of the daemon's workers, so that each looks again only when the
/// change concerns it: an intake whose pages all went out at once needs no read of the outbox,
/// and one whose first deadline is after the engine's alarm needs no pass.
public struct CommittedChange: Sendable {
    /// Pages went into the outbox that were not claimed to go at once: the sender must read it.
    public var outbox: Bool
    public var deadlines: Deadlines

    public enum Deadlines: Sendable, Equatable {
        /// Deadlines may have moved anywhere: the engine looks at them again.
        case mayHaveMoved
        /// The change only added a new crisis, whose first deadline this is (nil: it has none).
        case added(Date?)
    }

    public init(outbox: Bool, deadlines: Deadlines) {
        self.outbox = outbox
        self.deadlines = deadlines
    }

    /// Anything may have changed: every worker looks again.
    public static let any = CommittedChange(outbox: true, deadlines: .mayHaveMoved)
}
