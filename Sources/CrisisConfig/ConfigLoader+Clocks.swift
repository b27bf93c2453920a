import CrisisCore
import Foundation

/// `[clocks]`: the clock rules. The contract's clocks are the defaults; today's keys stay valid as
/// shorthand (`contact = "1h"` sets that rule's deadline), and a table (`[clocks.contact]`, or a
/// new name) states a rule key by key:
///
/// ```toml
/// [clocks.callback]
/// label = "call-back"
/// starts = "dispatched"          # intake (the default) or a milestone
/// stops = "onsite"               # acknowledgement or a milestone
/// deadline = "2h"
/// warn_before = "30m"            # default: [clocks] warn_before; "none" for no warning
/// notify = ["responder", "breach"]
/// groups = true                  # also for crises about a group
/// requester_roles = ["employee"]  # only for crises raised in these roles (default: all)
/// waivable_by = ["chief"]        # who may waive it; [] for anyone; absent: it may not be
/// ```
extension ConfigLoader {
    private static let settingKeys: Set<String> = ["warn_before", "contact_applies_to"]

    static func readClocks(_ section: TableReader?) -> ClockPolicy {
        guard let section else { return ClockPolicy() }
        let sharedWarning = section.span("warn_before", default: TimeSpan(seconds: 900))
        var contactAppliesToGroups = true
        if let scope = section.string("contact_applies_to") {
            switch scope {
            case "all": contactAppliesToGroups = true
            case "individual": contactAppliesToGroups = false
            default: section.issue("contact_applies_to", "\"\(scope)\" is not one of all, individual")
            }
        }
        var policy = ClockPolicy(warnBefore: sharedWarning, contactAppliesToGroups: contactAppliesToGroups)
        var ownWarning: Set<ClockKind> = []
        for key in section.table.keys where !settingKeys.contains(key) {
            guard let name = ClockKind(rawValue: key) else {
                _ = section.raw(key)  // reported here, not again as an unknown key
                section.issue(key, "\"\(key)\" is not a clock name (\(ClockKind.rule))")
                continue
            }
            let index = policy.rules.firstIndex { $0.name == name }
            switch section.raw(key) {
            case .string:
                guard let index else {
                    section.issue(key, "unknown clock: a new clock is a table [clocks.\(key)] with deadline and stops")
                    continue
                }
                let fallback: TimeSpan
                switch policy.rules[index].deadline {
                case .elapsed(let span): fallback = span
                }
                // A bad duration is reported by `span`; a duration is never zero.
                policy.rules[index].deadline = .elapsed(section.span(key, default: fallback))
            case .table:
                guard let table = section.table(key) else { continue }
                if table.has("warn_before") { ownWarning.insert(name) }
                let base = index.map { policy.rules[$0] }
                guard let rule = readRule(table, name: name, base: base, sharedWarning: sharedWarning) else { continue }
                if let index { policy.rules[index] = rule } else { policy.rules.append(rule) }
            case let value?:
                section.issue(
                    key,
                    "must be a string, not \(describe(value)) (a duration such as \"1h\", or a table [clocks.\(key)])")
            case nil:
                continue
            }
        }
        // `warn_before` is shared by every rule that warns without its own: it must leave time to
        // act before the shortest of their deadlines.
        let sharing = policy.rules.compactMap { rule -> (ClockKind, TimeSpan)? in
            guard rule.warnBefore != nil, !ownWarning.contains(rule.name), case .elapsed(let span) = rule.deadline
            else { return nil }
            return (rule.name, span)
        }
        if let (name, span) = sharing.min(by: { $0.1.seconds < $1.1.seconds }), sharedWarning.seconds >= span.seconds {
            section.issue(
                "warn_before",
                "(\(sharedWarning)) must be shorter than \(name) (\(span)), or give [clocks.\(name)] its own warn_before"
            )
        }
        section.rejectUnknownKeys()
        return policy
    }

    /// One rule from its table, on top of the default of the same name when there is one.
    private static func readRule(_ table: TableReader, name: ClockKind, base: ClockRule?, sharedWarning: TimeSpan)
        -> ClockRule?
    {
        var problems = false
        func problem(_ key: String, _ message: String) {
            table.issue(key, message)
            problems = true
        }
        let label = table.string("label") ?? base?.label ?? name.rawValue
        if label.trimmingCharacters(in: .whitespaces).isEmpty || label.count > 40 {
            problem("label", "must be 1 to 40 characters")
        }
        var start = base?.start ?? .intake
        if let text = table.string("starts") {
            if let parsed = ClockRule.Start(text) {
                start = parsed
            } else {
                problem("starts", "\"\(text)\" is not one of intake, contacted, dispatched, onsite")
            }
        }
        var stop = base?.stop
        if let text = table.string("stops", required: base == nil) {
            if let parsed = ClockRule.Stop(text) {
                stop = parsed
            } else {
                problem(
                    "stops",
                    "\"\(text)\" is not one of acknowledgement, contacted, dispatched, onsite, resolved, leader-informed"
                )
            }
        }
        var deadline = base?.deadline
        if table.has("deadline") || base == nil {
            if table.string("deadline", required: true) != nil {
                // `span` reports a text that is not a duration, and a duration is never zero.
                let span = table.span("deadline", default: TimeSpan(seconds: 0))
                if span.seconds > 0 { deadline = .elapsed(span) } else { problems = true }
            } else {
                problems = true
            }
        }
        var warnBefore = base.map(\.warnBefore) ?? sharedWarning
        if table.has("warn_before") {
            if table.string("warn_before") == "none" {
                warnBefore = nil
            } else {
                warnBefore = table.span("warn_before", default: TimeSpan(seconds: 0))
                if warnBefore?.seconds == 0 { problems = true }
            }
        }
        var audience = base?.audience ?? [.responder, .breach]
        if let names = table.strings("notify") {
            audience = []
            for (index, text) in names.enumerated() {
                guard let one = ClockRule.Audience(rawValue: text) else {
                    problem("notify[\(index)]", "\"\(text)\" is not one of responder, breach")
                    continue
                }
                audience.insert(one)
            }
        }
        let groups = table.bool("groups") ?? base?.appliesToGroups ?? true
        var requesterRoles = base?.requesterRoles
        if let names = table.strings("requester_roles") {
            requesterRoles = []
            for (index, name) in names.enumerated() {
                guard let role = RequesterRole(rawValue: name) else {
                    problem("requester_roles[\(index)]", "\"\(name)\" is not one of \(RequesterRole.allNames)")
                    continue
                }
                requesterRoles?.insert(role)
            }
        }
        var waivableBy = base?.waivableBy
        if let flag = table.bool("waivable") { waivableBy = flag ? (waivableBy ?? []) : nil }
        if let roles = table.strings("waivable_by") {
            for (index, role) in roles.enumerated() where !Person.knownRoles.contains(role) {
                problem(
                    "waivable_by[\(index)]",
                    "\"\(role)\" is not a role (one of \(Person.knownRoles.joined(separator: ", ")))")
            }
            waivableBy = roles
        }
        table.rejectUnknownKeys()

        guard let stop, let deadline, !problems else { return nil }
        if case .milestone(let kind) = start, stop == .milestone(kind) {
            table.issue("stops", "a clock cannot stop at the milestone that starts it (\(kind.rawValue))")
            return nil
        }
        if stop == .acknowledgement, start != .intake {
            table.issue("starts", "a clock stopped by the acknowledgement starts at intake")
            return nil
        }
        if let warnBefore, case .elapsed(let span) = deadline {
            if warnBefore.seconds >= span.seconds, table.has("warn_before") {
                table.issue("warn_before", "(\(warnBefore)) must be shorter than the deadline (\(span))")
                return nil
            }
            if audience.isEmpty, table.has("warn_before") {
                table.issue("warn_before", "warns no one: add notify = [\"responder\"] or drop warn_before")
                return nil
            }
        }
        return ClockRule(
            name: name, label: label, start: start, stop: stop, deadline: deadline,
            warnBefore: audience.isEmpty ? nil : warnBefore, audience: audience, appliesToGroups: groups,
            requesterRoles: requesterRoles, waivableBy: waivableBy)
    }
}
