import CrisisCore

/// Who a request comes from, and so what it may do.
///
/// | caller | may |
/// |---|---|
/// | `controlSocket` (crisisctl) | everything |
/// | `requester` (a bearer token over TCP) | raise crises, and read the crises it raised |
/// | `person` (a psychologist's own token over TCP) | read, acknowledge and record milestones on crises they were paged for |
public enum Caller: Sendable, Equatable {
    /// The provider's operators and psychologists, through crisisctl on the control socket.
    /// `user`: the operator's account, from the socket's peer credentials, when known.
    case controlSocket(user: String?)
    /// A `[[requesters]]` entry of the config, by its id.
    case requester(id: String)
    /// A `[[people]]` entry with its own API token (`token_sha256`), by its id.
    case person(id: String)

    /// As journaled, and stored as the source of the crises it raises: `crisisctl` or `requester:ID`.
    public var actor: String {
        switch self {
        case .controlSocket(let user): user.map { "crisisctl:\($0)" } ?? "crisisctl"
        case .requester(let id): "requester:\(id)"
        case .person(let id): "person:\(id)"
        }
    }

    /// Whether this caller may see a crisis raised by `source` (the actor stored with the crisis).
    /// Crises raised through crisisctl, or before the requester was named, are the operators' only.
    func mayRead(raisedBy source: String) -> Bool {
        isControlSocket || source == actor
    }

    /// Acknowledging, milestones, the rota, the journal: the provider's work.
    var actsForTheProvider: Bool { isControlSocket }

    var isControlSocket: Bool { if case .controlSocket = self { true } else { false } }

    /// The person a psychologist's token speaks for; nil for other callers.
    var person: String? { if case .person(let id) = self { id } else { nil } }
}

extension CrisisView {
    /// Whether `person` was routed this crisis or has been paged for it.
    func wasPaged(_ person: String) -> Bool {
        assigned.contains(person) || pages.contains { $0.person == person }
    }
}
