import Foundation

/// The one line systemd shows as the service's status (`STATUS=`, `systemctl status crisisd`):
/// `2 open crises; next deadline CR-7K4P contact in 37m; on duty: Anna Holm`.
///
/// References, clock names and the on-duty psychologist's name only: never a requester, a note or
/// a site, since `systemctl status` is readable by every user of the machine.
public enum StatusLine {
    /// What the line says of the crises: how many are not resolved, and the earliest running
    /// clock or pending escalation step among them. A store answers it without reading each
    /// crisis whole (`CrisisStore.openSummary()`): the line is rebuilt every second while
    /// thousands of crises come in.
    public struct Summary: Sendable, Equatable {
        public var open: Int
        public var next: Deadline?

        public struct Deadline: Sendable, Equatable {
            public var reference: CrisisReference
            /// A clock's name, or `escalation`.
            public var what: String
            public var at: Date

            public init(reference: CrisisReference, what: String, at: Date) {
                self.reference = reference
                self.what = what
                self.at = at
            }
        }

        public init(open: Int, next: Deadline?) {
            self.open = open
            self.next = next
        }

        /// The summary of these crises (those resolved are left out).
        public init(_ crises: [CrisisView]) {
            let unresolved = crises.filter { $0.status != .resolved }
            open = unresolved.count
            next = StatusLine.nextDeadline(unresolved).map {
                Deadline(reference: $0.reference, what: $0.what, at: $0.at)
            }
        }

        /// The earlier of two deadlines; the lower reference between equal instants.
        public static func earlier(_ a: Deadline?, _ b: Deadline?) -> Deadline? {
            guard let a, let b else { return a ?? b }
            return (a.at, a.reference.description) <= (b.at, b.reference.description) ? a : b
        }
    }

    /// - Parameters:
    ///   - open: the crises not resolved.
    ///   - onDuty: the names of those on duty now, in rota order (duplicates are dropped).
    ///   - problem: what makes crisisd unhealthy, if anything: it leads the line.
    public static func text(open: [CrisisView], onDuty: [String], problem: String? = nil, now: Date) -> String {
        text(Summary(open), onDuty: onDuty, problem: problem, now: now)
    }

    public static func text(_ summary: Summary, onDuty: [String], problem: String? = nil, now: Date) -> String {
        var parts = [summary.open == 1 ? "1 open crisis" : "\(summary.open) open crises"]
        if let next = summary.next {
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
