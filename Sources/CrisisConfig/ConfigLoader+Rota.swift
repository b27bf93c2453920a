import CrisisCore
import Foundation

/// Who is on duty when: `[[rotations]]`, `[[schedules]]`, their backups and `[[overrides]]`.
extension ConfigLoader {
    static func readRotations(_ sections: [TableReader], people: [Person], sink: IssueSink) -> [Rotation] {
        var rotations: [Rotation] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "rotation")
            if let id { seen.append(id) }
            let members = section.strings("members", required: true) ?? []
            if section.has("members") && members.isEmpty { section.issue("members", "must name at least one person") }
            for (index, member) in members.enumerated() where !people.contains(where: { $0.id == member }) {
                sink.add(ConfigIssue(section.path("members") + "[\(index)]", "unknown person \"\(member)\""))
            }
            var start: LocalDateTime?
            if let raw = section.raw("start"), raw.string == nil {
                section.issue("start", "must be a quoted local time such as \"2026-11-02T08:00\"")
            } else if let text = section.string("start", required: true) {
                start = LocalDateTime(parsing: text)
                if start == nil {
                    section.issue("start", "\"\(text)\" is not a local time such as \"2026-11-02T08:00\"")
                }
            }
            var handoff: Rotation.Handoff?
            switch (section.has("shift"), section.has("handoffs")) {
            case (true, true):
                section.issue("handoffs", "give either shift or handoffs, not both")
                _ = section.string("shift")
                _ = section.strings("handoffs")
            case (false, false):
                section.issue("shift", "is required (or handoffs = [\"Mon 08:00\", ...])")
            case (true, false):
                if let text = section.string("shift") {
                    if let shift = TimeSpan(parsing: text) {
                        if shift.seconds < 60 {
                            section.issue("shift", "must be at least 1m")
                        } else {
                            handoff = .every(shift)
                        }
                    } else {
                        section.issue("shift", "\"\(text)\" is not a duration (use 12h, 7d, ...)")
                    }
                }
            case (false, true):
                let texts = section.strings("handoffs") ?? []
                var times: [WeeklyTime] = []
                for (index, text) in texts.enumerated() {
                    if let time = WeeklyTime(parsing: text) {
                        times.append(time)
                    } else {
                        sink.add(
                            ConfigIssue(
                                section.path("handoffs") + "[\(index)]",
                                "\"\(text)\" is not a hand-off time such as \"Mon 08:00\" or \"08:00\""))
                    }
                }
                if texts.isEmpty { section.issue("handoffs", "must name at least one time") }
                if !times.isEmpty && times.count == texts.count { handoff = .at(times) }
            }
            var windows: [ActiveWindow] = []
            for (index, text) in (section.strings("active") ?? []).enumerated() {
                if let window = ActiveWindow(parsing: text) {
                    windows.append(window)
                } else {
                    sink.add(
                        ConfigIssue(
                            section.path("active") + "[\(index)]",
                            "\"\(text)\" is not a window such as \"Mon-Fri 08:00-16:00\""))
                }
            }
            let backup = section.string("backup")
            section.rejectUnknownKeys()
            if let id, let start, let handoff {
                rotations.append(
                    Rotation(id: id, members: members, start: start, handoff: handoff, backup: backup, active: windows))
            }
        }
        return rotations
    }

    static func readSchedules(_ sections: [TableReader], rotations: [Rotation], sink: IssueSink) -> [Schedule] {
        var schedules: [Schedule] = []
        var seen = rotations.map(\.id)
        for section in sections {
            let id = identifier(section, taken: seen, what: "rotation or schedule")
            if let id { seen.append(id) }
            let layers = section.strings("layers", required: true) ?? []
            if section.has("layers") && layers.isEmpty { section.issue("layers", "must name at least one rotation") }
            for (index, layer) in layers.enumerated() where !rotations.contains(where: { $0.id == layer }) {
                sink.add(ConfigIssue(section.path("layers") + "[\(index)]", "unknown rotation \"\(layer)\""))
            }
            let backup = section.string("backup")
            section.rejectUnknownKeys()
            if let id { schedules.append(Schedule(id: id, layers: layers, backup: backup)) }
        }
        return schedules
    }

    /// Backups may name a rotation or a schedule, so they are checked once both are read.
    static func checkBackups(_ root: TableReader, rotations: [Rotation], schedules: [Schedule]) {
        let known = Set(rotations.map(\.id) + schedules.map(\.id))
        let sink = root.sinkForChildren
        for (index, rotation) in rotations.enumerated() {
            guard let backup = rotation.backup else { continue }
            if backup == rotation.id {
                sink.add(ConfigIssue("rotations[\(index)].backup", "a rotation cannot be its own backup"))
            } else if !known.contains(backup) {
                sink.add(ConfigIssue("rotations[\(index)].backup", "unknown rotation or schedule \"\(backup)\""))
            }
        }
        for (index, schedule) in schedules.enumerated() {
            guard let backup = schedule.backup else { continue }
            if backup == schedule.id {
                sink.add(ConfigIssue("schedules[\(index)].backup", "a schedule cannot be its own backup"))
            } else if !known.contains(backup) {
                sink.add(ConfigIssue("schedules[\(index)].backup", "unknown rotation or schedule \"\(backup)\""))
            }
        }
    }

    static func readOverrides(
        _ sections: [TableReader], people: [Person], targets: Set<String>, timeZone: TimeZone?, sink: IssueSink
    ) -> [RotaOverride] {
        var overrides: [RotaOverride] = []
        for (index, section) in sections.enumerated() {
            let rotation = section.string("rotation")
            let schedule = section.string("schedule")
            let target = rotation ?? schedule
            if rotation != nil && schedule != nil {
                section.issue("schedule", "give either rotation or schedule, not both")
            } else if target == nil {
                section.issue("rotation", "is required (or schedule): which rota the cover is for")
            } else if let target, !targets.contains(target) {
                section.issue(rotation != nil ? "rotation" : "schedule", "unknown rotation or schedule \"\(target)\"")
            }
            let person = section.string("person", required: true)
            if let person, !people.contains(where: { $0.id == person }) {
                section.issue("person", "unknown person \"\(person)\"")
            }
            func time(_ key: String) -> LocalDateTime? {
                guard let text = section.string(key, required: true) else { return nil }
                guard let local = LocalDateTime(parsing: text) else {
                    section.issue(key, "\"\(text)\" is not a local time such as \"2026-12-24T08:00\"")
                    return nil
                }
                return local
            }
            let from = time("from")
            let to = time("to")
            if let from, let to, to <= from { section.issue("to", "must be after from") }
            section.rejectUnknownKeys()
            if let target, let person, let from, let to, let timeZone, from < to {
                overrides.append(
                    RotaOverride(
                        id: "config[\(index)]", target: target, person: person, from: from.instant(in: timeZone),
                        to: to.instant(in: timeZone), createdBy: "config"))
            }
        }
        return overrides
    }
}
