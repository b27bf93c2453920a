import CrisisCore
import Foundation

/// `[escalation]`: whom a crisis pages, step by step, and whom a breach or exhaustion pages.
extension ConfigLoader {
    static func readEscalation(
        _ section: TableReader?, root: TableReader, people: [Person], rota: Rota, defaultWait: TimeInterval
    ) -> EscalationPolicy {
        var policy = EscalationPolicy(steps: [])
        guard let section else {
            root.issue("escalation", "is required: [escalation] steps = [\"rotation:ID\"] names whom a crisis pages")
            return policy
        }
        let sink = root.sinkForChildren
        func targets(_ texts: [String], place: String) -> [EscalationTarget] {
            texts.compactMap { text in
                guard let target = EscalationTarget(parsing: text) else {
                    sink.add(
                        ConfigIssue(
                            place,
                            "\"\(text)\" is not a target (rotation:ID, schedule:ID, either with :backup, or person:ID)")
                    )
                    return nil
                }
                if let problem = check(target, people: people, rota: rota) {
                    sink.add(ConfigIssue(place, problem))
                    return nil
                }
                return target
            }
        }

        if let raw = section.raw("steps") {
            if let array = raw.array, !array.isEmpty {
                for (index, element) in array.enumerated() {
                    let place = section.path("steps") + "[\(index)]"
                    if let text = element.string {
                        // A plain string step waits clocks.ack, as the shortest policy does.
                        policy.steps.append(.init(targets: targets([text], place: place), wait: defaultWait))
                    } else if let table = element.table {
                        let step = TableReader(table, place: place, sink: sink)
                        let notify = step.strings("notify", required: true) ?? []
                        if step.has("notify") && notify.isEmpty {
                            step.issue("notify", "must name at least one target")
                        }
                        let wait =
                            step.has("wait")
                            ? step.span("wait", default: TimeSpan(seconds: defaultWait)).seconds : defaultWait
                        step.rejectUnknownKeys()
                        policy.steps.append(.init(targets: targets(notify, place: step.path("notify")), wait: wait))
                    } else {
                        sink.add(ConfigIssue(place, "must be a target string or { notify = [...], wait = \"5m\" }"))
                    }
                }
            } else {
                section.issue("steps", "must be a non-empty list")
            }
        } else {
            section.issue("steps", "is required")
        }
        if let repeats = section.int("repeat") {
            if (0...20).contains(repeats) {
                policy.repeats = repeats
            } else {
                section.issue("repeat", "must be between 0 and 20, not \(repeats)")
            }
        }
        policy.breachTargets = targets(section.strings("breach") ?? [], place: section.path("breach"))
        policy.exhaustedTargets = targets(section.strings("exhausted") ?? [], place: section.path("exhausted"))
        section.rejectUnknownKeys()
        return policy
    }

    private static func check(_ target: EscalationTarget, people: [Person], rota: Rota) -> String? {
        switch target {
        case .person(let id):
            return people.contains { $0.id == id } ? nil : "unknown person \"\(id)\" in \"\(target)\""
        case .rotation(let id):
            return rota.rotations[id] == nil ? "unknown rotation \"\(id)\" in \"\(target)\"" : nil
        case .schedule(let id):
            return rota.schedules[id] == nil ? "unknown schedule \"\(id)\" in \"\(target)\"" : nil
        case .rotationBackup(let id), .scheduleBackup(let id):
            let kind = if case .rotationBackup = target { "rotation" } else { "schedule" }
            let exists = kind == "rotation" ? rota.rotations[id] != nil : rota.schedules[id] != nil
            guard exists else { return "unknown \(kind) \"\(id)\" in \"\(target)\"" }
            return rota.backup(of: id) == nil ? "\(kind) \"\(id)\" has no backup for \"\(target)\"" : nil
        }
    }
}
