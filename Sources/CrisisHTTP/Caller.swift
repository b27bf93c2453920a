/// Who a request comes from, and so what it may do.
///
/// | caller | may |
/// |---|---|
/// | `controlSocket` (crisisctl) | everything |
/// | `requester` (a bearer token over TCP) | raise crises, and read the crises it raised |
public enum Caller: Sendable, Equatable {
    /// The provider's operators and psychologists, through crisisctl on the control socket.
    case controlSocket
    /// A `[[requesters]]` entry of the config, by its id.
    case requester(id: String)

    /// As journaled, and stored as the source of the crises it raises: `crisisctl` or `requester:ID`.
    public var actor: String {
        switch self {
        case .controlSocket: "crisisctl"
        case .requester(let id): "requester:\(id)"
        }
    }

    /// Whether this caller may see a crisis raised by `source` (the actor stored with the crisis).
    /// Crises raised through crisisctl, or before the requester was named, are the operators' only.
    func mayRead(raisedBy source: String) -> Bool {
        self == .controlSocket || source == actor
    }

    /// Acknowledging, milestones, the rota, the journal: the provider's work.
    var actsForTheProvider: Bool { self == .controlSocket }
}
