import Foundation

/// Decides whom to page for a set of escalation targets at a given instant.
public enum Routing {
    /// Resolves each target against the rota at `now`.
    ///
    /// A rotation or schedule with no one on duty (a gap, or not started) never drops a page on
    /// the floor: every member of it is paged, and the decision says it was unstaffed. Nor does a
    /// target the rota does not know: it is unstaffed, so its caller pages the fallbacks.
    public static func route(_ targets: [EscalationTarget], rota: Rota, at now: Date) -> RoutingDecision {
        decide(targets, rota: rota, at: now).decision
    }

    /// `route`'s decision, and the instant until which `route` gives the same one: the next
    /// instant at which who is on duty on a rotation or schedule it read may change, at most
    /// `horizon` ahead. Nil when it may differ a moment later.
    ///
    /// A stretch on duty that runs past what `Rota.stretch` looks at has no end to tell (one
    /// person alone on a rotation), and a later instant may see its end. Such a stretch runs on
    /// past that next change (its end is farther than anything within the horizon), so the
    /// stretch around it is the same one: seen from there still open-ended, it is open-ended from
    /// every instant before (it sees further from a later one); else the decision is not held.
    public static func route(
        _ targets: [EscalationTarget], rota: Rota, at now: Date, holdingFor horizon: TimeInterval
    ) -> (decision: RoutingDecision, until: Date?) {
        let (decision, read, openEnded) = decide(targets, rota: rota, at: now)
        let limit = now + horizon
        let until = read.compactMap { rota.nextChange($0, after: now, until: limit) }.min() ?? limit
        guard openEnded.allSatisfy({ rota.stretch($0, around: until)?.end == .distantFuture }) else {
            return (decision, nil)
        }
        return (decision, until)
    }

    /// The decision, the rotations and schedules it read, and those whose stretch ran open-ended.
    private static func decide(_ targets: [EscalationTarget], rota: Rota, at now: Date) -> (
        decision: RoutingDecision, read: [String], openEnded: [String]
    ) {
        var recipients: [RoutingDecision.Recipient] = []
        var unstaffed: [String] = []
        var read: [String] = []
        var openEnded: [String] = []

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
            read.append(id)
            if let duty = rota.onDuty(id, at: now) {
                let stretch = rota.stretch(id, around: now)
                if stretch?.end ?? .distantFuture == .distantFuture { openEnded.append(id) }
                let until =
                    stretch.flatMap {
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
        return (RoutingDecision(recipients: recipients, unstaffedRotations: unstaffed), read, openEnded)
    }
}
