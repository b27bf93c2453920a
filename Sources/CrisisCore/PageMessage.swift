import Foundation

/// What a page says, built in one place from the privacy-safe part of a crisis.
///
/// It carries the reference, category, site, call-back number and deadlines. It never carries
/// the requester's name, the note, or anything about the affected people.
public struct PageMessage: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A new crisis, or an escalation step for one nobody has acknowledged.
        case crisis
        /// A contract deadline is near (`warn_before`).
        case warning
        /// A contract deadline passed with its clock still running.
        case breach
        /// Nobody acknowledged after every step of the escalation policy.
        case exhausted
        /// To the leader who raised the crisis: it is received, and by when a chief psychologist calls.
        case receipt
        /// To the leader who raised the crisis: who acknowledged it and will call.
        case ackNotice = "ack_notice"

        /// Whether it goes to the requester's call-back number rather than to a responder: it
        /// carries no acknowledgement link and is not stopped by an acknowledgement.
        public var isForRequester: Bool { self == .receipt || self == .ackNotice }
    }

    /// The same for every attempt at one page, and for no other page: receivers drop repeats by it.
    public var id: String
    public var kind: Kind
    /// The clock a warning or breach is about.
    public var clock: ClockKind?
    public var reference: CrisisReference
    public var category: CrisisCategory
    public var site: String
    public var callback: String
    public var drill: Bool
    public var receivedAt: Date
    public var deadlines: [String: Date]
    /// What each clock is called, by its name: what `deadlines` are keyed by.
    public var labels: [String: String]
    /// The person id paged.
    public var recipient: String
    public var step: Int
    public var attempt: Int
    public var ackURL: String
    /// When the leader is called at the latest: the deadline of the soonest running clock that
    /// the `contacted` milestone stops, if any.
    public var callBackBy: Date?
    /// For an `ackNotice`, the name of the person who acknowledged.
    public var acknowledgedBy: String?
    /// Other pages waiting for the same person on the same channel, sent with this one as one
    /// message while a rate limit held them (`RecipientRateLimit`); nil when it goes alone.
    public var also: [Waiting]?

    /// A page sent along with another: enough to know there is another crisis, and to call back.
    public struct Waiting: Codable, Sendable, Equatable {
        public var id: String
        public var kind: Kind
        public var reference: CrisisReference
        public var category: CrisisCategory
        public var site: String
        public var callback: String

        public init(_ page: PageMessage) {
            id = page.id
            kind = page.kind
            reference = page.reference
            category = page.category
            site = page.site
            callback = page.callback
        }

        /// `CR-7K4P violence at Depot 4, call back +45 20 00 00 00`, with the kind when it is not a new crisis.
        var line: String {
            let what = kind == .crisis ? "" : " (\(kind.rawValue))"
            return "\(reference)\(what) \(category.rawValue) at \(site), call back \(callback)"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, clock, reference, category, site, callback, drill, deadlines, labels, recipient, step, attempt
        case receivedAt = "received_at"
        case ackURL = "ack_url"
        case callBackBy = "call_back_by"
        case acknowledgedBy = "acknowledged_by"
        case also
    }

    public init(
        id: String, kind: Kind = .crisis, clock: ClockKind? = nil, reference: CrisisReference, category: CrisisCategory,
        site: String, callback: String,
        drill: Bool, receivedAt: Date, clocks: [ResponseClock], recipient: String, step: Int, attempt: Int = 1,
        publicURL: String, ackToken: String? = nil, acknowledgedBy: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.clock = clock
        self.reference = reference
        self.category = category
        self.site = site
        self.callback = callback
        self.drill = drill
        self.receivedAt = receivedAt
        self.deadlines = Dictionary(clocks.map { ($0.kind.rawValue, $0.dueAt) }, uniquingKeysWith: { a, _ in a })
        self.labels = Dictionary(clocks.map { ($0.kind.rawValue, $0.label) }, uniquingKeysWith: { a, _ in a })
        self.recipient = recipient
        self.step = step
        self.attempt = attempt
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        // The person's own link where the attempt has one; else the API's route (for crisisctl's socket).
        self.ackURL = ackToken.map { "\(base)/a/\($0)" } ?? "\(base)/v1/crises/\(reference)/ack"
        self.callBackBy = clocks.filter { $0.isRunning && $0.stop == .milestone(.contacted) }.map(\.dueAt).min()
        self.acknowledgedBy = acknowledgedBy
    }

    /// Where Twilio fetches a voice page's words: the attempt's acknowledgement-link token under
    /// `/v1/voice/`. Nil when the attempt has no link of its own. Not encoded: webhooks keep their JSON.
    public var voiceURL: String? {
        guard let range = ackURL.range(of: "/a/", options: .backwards) else { return nil }
        let token = ackURL[range.upperBound...]
        guard !token.isEmpty, !token.contains("/") else { return nil }
        return "\(ackURL[..<range.lowerBound])/v1/voice/\(token)"
    }

    /// A short text for a phone screen or a console.
    public func text(in timeZone: TimeZone) -> String {
        if kind.isForRequester { return requesterText(in: timeZone) }
        let calendar = Calendar.gregorian(in: timeZone)
        // Soonest deadline first.
        let clocks = deadlines.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }.map {
            name, due in
            let parts = calendar.dateComponents([.hour, .minute], from: due)
            return String(format: "%@ by %02d:%02d", labels[name] ?? name, parts.hour ?? 0, parts.minute ?? 0)
        }.joined(separator: ", ")
        let clockLabel = clock.map { labels[$0.rawValue] ?? $0.rawValue } ?? ""
        let headline: String
        switch kind {
        case .crisis:
            headline =
                "CRISIS \(reference) \(category.rawValue) at \(site)"
                + (step > 1 ? " (escalation step \(step): not acknowledged)" : "")
        case .warning:
            headline =
                "WARNING \(reference): the \(clockLabel) deadline is near (\(category.rawValue) at \(site))"
        case .breach:
            headline =
                "BREACH \(reference): the \(clockLabel) deadline passed unmet (\(category.rawValue) at \(site))"
        case .exhausted:
            headline = "NOBODY ACKNOWLEDGED \(reference) after every escalation step (\(category.rawValue) at \(site))"
        case .receipt, .ackNotice:
            headline = ""
        }
        let waiting = (also ?? []).map { "Also waiting: \($0.line)\n" }.joined()
        return """
            \(drill ? "DRILL " : "")\(headline)
            Call back: \(callback)
            \(clocks) (\(timeZone.identifier))
            \(waiting)Acknowledge: \(ackURL)  or  crisisctl ack \(reference)
            """
    }

    /// What the leader who raised the crisis is told, in one line that fits one SMS: no link, no
    /// deadlines but the call's. `CR-7K4P received; a chief psychologist will call you by 03:17`.
    public func requesterText(in timeZone: TimeZone) -> String {
        let lead = (drill ? "DRILL " : "") + "\(reference)"
        switch kind {
        case .ackNotice:
            return "\(lead): \(acknowledgedBy ?? "a chief psychologist") has your case and will call you"
        default:
            guard let callBackBy else { return "\(lead) received; a chief psychologist will call you" }
            let parts = Calendar.gregorian(in: timeZone).dateComponents([.hour, .minute], from: callBackBy)
            return String(
                format: "%@ received; a chief psychologist will call you by %02d:%02d", lead, parts.hour ?? 0,
                parts.minute ?? 0)
        }
    }
}
