import Foundation

extension Rota {
    /// The rotations and schedules an escalation policy pages, backups resolved, in policy order.
    public func targets(of policy: EscalationPolicy) -> [String] {
        var ids: [String] = []
        for target in policy.steps.flatMap(\.targets) + policy.breachTargets + policy.exhaustedTargets {
            let id: String?
            switch target {
            case .rotation(let rotation), .schedule(let rotation): id = rotation
            case .rotationBackup(let rotation), .scheduleBackup(let rotation): id = backup(of: rotation)
            case .person: id = nil
            }
            if let id, !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// Every stretch in the range where one of `targets` has no one on duty.
    public func gaps(in targets: [String], from: Date, to: Date) -> [Duty] {
        targets.flatMap { timeline($0, from: from, to: to).filter { $0.person == nil } }
    }
}
