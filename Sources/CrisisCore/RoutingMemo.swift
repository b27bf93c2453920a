import Foundation
import Synchronization

/// Routing against one rota, each list of targets worked out once for as long as the answer
/// holds: until the rota's next possible change for the rotations it read (`Routing.route(_:rota:
/// at:holdingFor:)`), at most `horizon` ahead. An intake routes the same first step as the one
/// before it, and a pass many crises at one instant; working out the rota's timeline was a
/// twentieth of an intake's time. What it answers is `Routing.route`'s at that instant, unchanged.
public final class RoutingMemo: Sendable {
    private struct Held {
        var decision: RoutingDecision
        var from: Date
        var until: Date
    }

    /// How long a decision is held at most when the rota does not change before.
    public static let horizon: TimeInterval = 86_400

    private let rota: Rota
    private let held = Mutex<[[EscalationTarget]: Held]>([:])

    public init(rota: Rota) {
        self.rota = rota
    }

    public func route(_ targets: [EscalationTarget], at now: Date) -> RoutingDecision {
        if let known = held.withLock({ $0[targets] }), known.from <= now, now < known.until {
            return known.decision
        }
        let (decision, until) = Routing.route(targets, rota: rota, at: now, holdingFor: Self.horizon)
        // A decision not held past `now` is still the answer at `now`, where a pass decides many.
        let end = until ?? Date(timeIntervalSinceReferenceDate: now.timeIntervalSinceReferenceDate.nextUp)
        held.withLock { $0[targets] = Held(decision: decision, from: now, until: end) }
        return decision
    }
}
