import Foundation

/// What the ops board shows a service lead: the open crises with their clocks, who is on duty
/// and the next hand-offs, pages that are failing, and the last day of the journal.
///
/// Built from what the daemon already keeps; it carries ids, references, categories, sites and
/// times only. Journal data is cut to `JournalLine.shownKeys`: no free-text reason, no
/// requester's name, no note.
public struct OpsBoard: Sendable, Equatable {
    /// One rotation or schedule: who is on it now and who comes next.
    public struct Duty: Sendable, Equatable {
        public var target: String
        public var kind: String
        /// Nil in a gap: no one on duty.
        public var person: String?
        public var name: String?
        public var until: Date?
        public var backupTarget: String?
        public var backupName: String?
        /// The next stretches after this one, within `OpsBoard.handoffHorizon`.
        public var next: [Handoff]
    }

    public struct Handoff: Sendable, Equatable {
        public var at: Date
        /// Nil for a gap.
        public var person: String?
        public var name: String?
    }

    /// A page of an open crisis that failed, or is pending after a failed attempt.
    public struct FailingPage: Sendable, Equatable {
        public var reference: CrisisReference
        public var person: String
        public var status: String
        public var attempts: Int
    }

    /// One channel's trouble: its failing pages and how many attempts failed in the last day.
    public struct ChannelTrouble: Sendable, Equatable {
        public var channel: String
        public var pages: [FailingPage]
        public var failedAttempts: Int
        public var gaveUp: Int
    }

    public struct JournalLine: Sendable, Equatable {
        /// The data keys shown: ids and enumerations only. Never `reason` (free text), `callback`,
        /// `note` or anything a requester wrote.
        public static let shownKeys = ["category", "site", "clock", "outcome", "milestone", "step", "channel"]

        public var at: Date
        public var kind: JournalKind
        public var reference: CrisisReference?
        public var actor: String
        /// `shownKeys` present in the entry, in that order.
        public var details: [(key: String, value: String)]

        public static func == (a: Self, b: Self) -> Bool {
            a.at == b.at && a.kind == b.kind && a.reference == b.reference && a.actor == b.actor
                && a.details.map(\.key) == b.details.map(\.key) && a.details.map(\.value) == b.details.map(\.value)
        }
    }

    /// How far back the journal and the failure counts reach.
    public static let journalWindow: TimeInterval = 24 * 3600
    /// How far ahead the next hand-offs are looked for.
    public static let handoffHorizon: TimeInterval = 7 * 86_400
    public static let handoffsShown = 3
    public static let journalLinesShown = 200

    public var now: Date
    public var timeZone: TimeZone
    /// Not resolved, oldest first: the one waiting longest is on top.
    public var crises: [CrisisView]
    public var duty: [Duty]
    public var trouble: [ChannelTrouble]
    /// Newest first, at most `journalLinesShown`.
    public var journal: [JournalLine]

    /// - Parameters:
    ///   - crises: the open crises, in any order; resolved ones are left out.
    ///   - journal: entries of at least the last `journalWindow`, in any order.
    public init(crises: [CrisisView], journal: [JournalEntry], rota: Rota, now: Date) {
        self.now = now
        timeZone = rota.timeZone
        self.crises = crises.filter { $0.status != .resolved }.sorted { $0.receivedAt < $1.receivedAt }
        let recent = journal.filter { $0.at > now - Self.journalWindow && $0.at <= now }
        duty = Self.duty(rota: rota, now: now)
        trouble = Self.trouble(crises: self.crises, recent: recent)
        self.journal = recent.sorted { ($0.at, $0.id ?? 0) > ($1.at, $1.id ?? 0) }.prefix(Self.journalLinesShown)
            .map(Self.line)
    }

    static func duty(rota: Rota, now: Date) -> [Duty] {
        let view = OnCallView(rota: rota, at: now)
        return view.rotations.map { entry in
            let upcoming = rota.timeline(entry.rotation, from: now, to: now + handoffHorizon).dropFirst()
            return Duty(
                target: entry.rotation, kind: entry.kind, person: entry.person, name: entry.name,
                until: entry.nextHandoff, backupTarget: entry.backupTarget, backupName: entry.backup?.name,
                next: upcoming.prefix(handoffsShown).map {
                    Handoff(at: $0.start, person: $0.person, name: $0.person.flatMap { rota.people[$0]?.name })
                })
        }
    }

    /// Per channel: open crises' pages failed or retrying, and the last day's failed attempts.
    static func trouble(crises: [CrisisView], recent: [JournalEntry]) -> [ChannelTrouble] {
        var pages: [String: [FailingPage]] = [:]
        for crisis in crises {
            for page in crisis.pages
            where page.status == PageStatus.failed.rawValue
                || (page.status == PageStatus.pending.rawValue && page.attempts > 1)
            {
                pages[page.channel, default: []].append(
                    FailingPage(
                        reference: crisis.reference, person: page.person, status: page.status, attempts: page.attempts))
            }
        }
        var failed: [String: Int] = [:]
        var gaveUp: [String: Int] = [:]
        for entry in recent {
            guard let channel = entry.data["channel"] else { continue }
            if entry.kind == .pageFailed { failed[channel, default: 0] += 1 }
            if entry.kind == .pageGaveUp { gaveUp[channel, default: 0] += 1 }
        }
        let channels = Set(pages.keys).union(failed.keys).union(gaveUp.keys).sorted()
        return channels.map {
            ChannelTrouble(
                channel: $0, pages: pages[$0] ?? [], failedAttempts: failed[$0] ?? 0, gaveUp: gaveUp[$0] ?? 0)
        }
    }

    static func line(_ entry: JournalEntry) -> JournalLine {
        var details: [(key: String, value: String)] = []
        for key in JournalLine.shownKeys {
            guard let value = entry.data[key] else { continue }
            // `outcome` names a clock's end; anything else under that key is not ours to show.
            if key == "outcome" && ClockOutcome(rawValue: value) == nil { continue }
            details.append((key, value))
        }
        return JournalLine(
            at: entry.at, kind: entry.kind, reference: entry.reference, actor: entry.actor, details: details)
    }
}
