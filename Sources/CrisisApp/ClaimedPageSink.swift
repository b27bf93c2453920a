import CrisisCore
import CrisisStorage

/// Where an intake or a pass over due deadlines hands the pages its own transaction claimed
/// (`ImmediateClaim`): the page sender, which sends them ahead of the outbox.
public protocol ClaimedPageSink: Sendable {
    /// What may be claimed under the config in force, with where the store hands the claimed
    /// pages over; nil to leave every page to the outbox.
    var immediateClaim: ImmediateClaim? { get }
    /// Drops the crisis's pages of these kinds still waiting for a place: the store has just
    /// cancelled them (an acknowledgement), and nobody is to be paged for them now.
    func withdraw(_ reference: CrisisReference, kinds: Set<PageMessage.Kind>) async
}
