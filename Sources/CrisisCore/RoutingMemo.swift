import Foundation
import Synchronization

/// Routing against one rota at one instant, each list of targets worked out once: a pass decides
/// many crises at the same `now`, and most route the same step (working out the rota's timeline
/// was a sixth of a pass's time per crisis). What it answers is `Routing.route`'s, unchanged.
public final class RoutingMemo: Sendable {
    private let rota: Rota
    private let now: Date
    private let decided = Mutex<[[EscalationTarget]: RoutingDecision]>([:])

    public init(rota: Rota, at now: Date) {
        self.rota = rota
        self.now = now
    }

    public func route(_ targets: [EscalationTarget]) -> RoutingDecision {
        if let known = decided.withLock({ $0[targets] }) { return known }
        let decision = Routing.route(targets, rota: rota, at: now)
        decided.withLock { $0[targets] = decision }
        return decision
    }
}
