import Foundation

/// Decides whom to page for a set of escalation targets at a given instant.
public enum Routing {
    /// Resolves each target against the rota at `now`.
    ///
    /// A rotation or schedule with no one on duty (a gap, or not started) never drops a page on
    /// the floor: every member of it is paged, and the decision says it was unstaffed. Nor does a
    /// target the rota does not know: it is unstaffed, so its caller pages the fallbacks.
    public static func route(_ targets: [EscalationTarget], rota: Rota, at now: Date) -> RoutingDecision {
        var recipients: [RoutingDecision.Recipient] = []
        var unstaffed: [String] = []

        func add(_ person: String, _ target: EscalationTarget, _ reason: String) {
            guard !recipients.contains(where: { $0.person == person }) else { return }
            recipients.append(.init(person: person, target: target.description, reason: reason))
        }

        func resolve(_ id: String, as target: EscalationTarget) {
            // A target the rota lacks has no one on duty: said, and the exhausted targets paged.
            guard rota.exists(id) else {
                unstaffed.append(id)
                return
            }
            if let duty = rota.onDuty(id, at: now) {
                let until =
                    rota.stretch(id, around: now).flatMap {
                        $0.end == .distantFuture ? nil : " until \($0.end.formatted(.iso8601))"
                    } ?? ""
                let via = duty.source.hasPrefix("override:") ? " (cover)" : ""
                add(duty.person, target, "on duty on \(id)\(until)\(via)")
            } else {
                unstaffed.append(id)
                for member in rota.members(of: id) {
                    add(member, target, "no one on duty on \(id): every member paged")
                }
            }
        }

        for target in targets {
            switch target {
            case .person(let id):
                add(id, target, "named in the escalation policy")
            case .rotation(let id), .schedule(let id):
                resolve(id, as: target)
            case .rotationBackup(let id), .scheduleBackup(let id):
                guard let backup = rota.backup(of: id) else { continue }
                resolve(backup, as: target)
            }
        }
        return RoutingDecision(recipients: recipients, unstaffedRotations: unstaffed)
    }
}
