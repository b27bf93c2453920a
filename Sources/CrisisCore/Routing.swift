import Foundation

/// Decides whom to page for a set of escalation targets at a given instant.
public enum Routing {
    /// Resolves each target against the rota at `now`.
    ///
    /// A rotation with no one on duty (not started yet, or empty) never drops a page on the
    /// floor: every member of it is paged, and the decision says the rotation was unstaffed.
    public static func route(_ targets: [EscalationTarget], rota: Rota, at now: Date) -> RoutingDecision {
        var recipients: [RoutingDecision.Recipient] = []
        var unstaffed: [String] = []

        func add(_ person: String, _ target: EscalationTarget, _ reason: String) {
            guard !recipients.contains(where: { $0.person == person }) else { return }
            recipients.append(.init(person: person, target: target.description, reason: reason))
        }

        func resolve(rotation id: String, as target: EscalationTarget) {
            guard let rotation = rota.rotations[id] else { return }
            if let shift = rotation.shift(at: now, timeZone: rota.timeZone) {
                add(shift.person, target, "on duty on \(id) until \(shift.end.formatted(.iso8601))")
            } else {
                unstaffed.append(id)
                for member in rotation.members { add(member, target, "no one on duty on \(id): every member paged") }
            }
        }

        for target in targets {
            switch target {
            case .person(let id):
                add(id, target, "named in the escalation policy")
            case .rotation(let id):
                resolve(rotation: id, as: target)
            case .rotationBackup(let id):
                guard let backup = rota.rotations[id]?.backup else { continue }
                resolve(rotation: backup, as: target)
            }
        }
        return RoutingDecision(recipients: recipients, unstaffedRotations: unstaffed)
    }
}
