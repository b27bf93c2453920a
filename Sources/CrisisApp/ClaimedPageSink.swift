import CrisisStorage

/// Where an intake or a pass over due deadlines hands the pages its own transaction claimed
/// (`ImmediateClaim`): the page sender, which sends them ahead of the outbox.
public protocol ClaimedPageSink: Sendable {
    /// What may be claimed under the config in force; nil to leave every page to the outbox.
    var immediateClaim: ImmediateClaim? { get }
    /// Sends claimed pages as places free up.
    func send(claimed pages: [OutboundPage]) async
}
