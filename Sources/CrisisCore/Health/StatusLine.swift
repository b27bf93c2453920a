import Foundation

/// The one line systemd shows as the service's status (`STATUS=`, `systemctl status crisisd`):
/// `2 open crises; next deadline CR-7K4P contact in 37m; on duty: Anna Holm`.
///
/// References, clock names and the on-duty psychologist's name only: never a requester, a note or
/// a site, since `systemctl status` is readable by every user of the machine.
public enum StatusLine {
    /// - Parameters:
    ///   - open: the crises not resolved.
    ///   - onDuty: the names of those on duty now, in rota order (duplicates are dropped).
    ///   - problem: what makes crisisd unhealthy, if anything: it leads the line.
    public static func text(open: [CrisisView], onDuty: [String], problem: String? = nil, now: Date) -> String {
        let unresolved = open.filter { $0.status != .resolved }
        var parts = [unresolved.count == 1 ? "1 open crisis" : "\(unresolved.count) open crises"]
        if let next = nextDeadline(unresolved) {
            parts.append("next deadline \(next.reference) \(next.what) \(countdown(to: next.at, now: now))")
        }
        var names: [String] = []
        for name in onDuty where !names.contains(name) { names.append(name) }
        parts.append("on duty: " + (names.isEmpty ? "nobody" : names.joined(separator: ", ")))
        let line = parts.joined(separator: "; ")
        return problem.map { "degraded: \($0); \(line)" } ?? line
    }

    /// The earliest running clock or pending escalation step of these crises.
    static func nextDeadline(_ crises: [CrisisView]) -> (reference: CrisisReference, what: String, at: Date)? {
        var candidates: [(reference: CrisisReference, what: String, at: Date)] = []
        for crisis in crises {
            for clock in crisis.clocks where clock.isRunning {
                candidates.append((crisis.reference, clock.kind.rawValue, clock.dueAt))
            }
            if crisis.status == .open, let next = crisis.escalation.nextAt {
                candidates.append((crisis.reference, "escalation", next))
            }
        }
        return candidates.min { ($0.at, $0.reference.description) < ($1.at, $1.reference.description) }
    }

    /// `in 37m`, `in 45s`, `in 2h 5m`, or `overdue by 3m`.
    static func countdown(to instant: Date, now: Date) -> String {
        let seconds = Int(instant.timeIntervalSince(now).rounded())
        let span = abs(seconds)
        let text =
            if span < 60 { "\(span)s" } else if span < 3600 { "\(span / 60)m" } else {
                span % 3600 / 60 == 0 ? "\(span / 3600)h" : "\(span / 3600)h \(span % 3600 / 60)m"
            }
        return seconds < 0 ? "overdue by \(text)" : "in \(text)"
    }
}
