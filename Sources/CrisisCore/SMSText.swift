import Foundation

extension PageMessage {
    /// The page as one short SMS, e.g.
    /// `CRISIS CR-7K4P violence at Depot 4. Call back +4520000000. Acknowledge by 09:05: <ack link>`.
    ///
    /// It fits one SMS segment where it can (`SMSLength`), and never takes more than two: the site
    /// is shortened first, then the optional parts go (the escalation step, the deadline); the
    /// reference, the call-back number and the link always stay. Times are in `timeZone`.
    public func smsText(in timeZone: TimeZone) -> String {
        if kind.isForRequester { return requesterText(in: timeZone) }
        return SMSText(self, timeZone: timeZone).fitted()
    }
}

/// The parts of an SMS page, each optional part on its own so it can be shortened or dropped.
struct SMSText {
    /// Fewer characters of a site than this say too little to be worth keeping one segment.
    static let shortestUsefulSite = 8

    /// `DRILL CRISIS CR-7K4P`: always kept.
    var lead: String
    var category: String?
    var site: String?
    /// `: contact deadline near`, for warnings and breaches: kept, it is what they say.
    var clockNote: String
    /// ` (escalation step 2)`: optional.
    var stepNote: String?
    /// Digits and `+` only: a phone links it, and it is shorter.
    var callback: String
    /// `Acknowledge by 09:05`: optional.
    var deadline: String?
    var link: String
    /// How many other pages go with this one, and their references (optional: the count stays).
    var alsoCount = 0
    var alsoReferences: String?

    init(_ page: PageMessage, timeZone: TimeZone) {
        let kindWord: String
        switch page.kind {
        case .crisis: kindWord = "CRISIS"
        case .warning: kindWord = "WARNING"
        case .breach: kindWord = "BREACH"
        case .exhausted: kindWord = "NOBODY ACKNOWLEDGED"
        case .receipt, .ackNotice: kindWord = "NOTICE"
        }
        lead = (page.drill ? "DRILL " : "") + "\(kindWord) \(page.reference)"
        category = page.category.rawValue
        site = Self.oneLine(page.site)
        let clockName = page.clock?.rawValue
        let clockLabel = clockName.map { page.labels[$0] ?? $0 } ?? ""
        switch page.kind {
        case .warning: clockNote = ": \(clockLabel) deadline near"
        case .breach: clockNote = ": \(clockLabel) deadline missed"
        case .crisis, .exhausted, .receipt, .ackNotice: clockNote = ""
        }
        stepNote = page.kind == .crisis && page.step > 1 ? " (escalation step \(page.step))" : nil
        callback = page.callback.filter { $0.isNumber || $0 == "+" }
        link = page.ackURL
        if let also = page.also, !also.isEmpty {
            alsoCount = also.count
            alsoReferences = also.map(\.reference.description).joined(separator: " ")
        }

        // A warning or breach gives its own clock's deadline; any other page the soonest.
        let shown =
            clockName.flatMap { name in page.deadlines[name].map { (name, $0) } }
            ?? page.deadlines.min { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }
        if let (name, due) = shown {
            let parts = Calendar.gregorian(in: timeZone).dateComponents([.hour, .minute], from: due)
            let label = page.labels[name] ?? name
            let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
            deadline =
                label.prefix(1).uppercased() + label.dropFirst() + (page.kind == .breach ? " was due " : " by ") + time
        }
    }

    var text: String {
        var headline = lead
        if let category { headline += " \(category)" }
        if let site { headline += " at \(site)" }
        headline += clockNote + (stepNote ?? "")
        if alsoCount > 0 { headline += ". +\(alsoCount) more" + (alsoReferences.map { ": \($0)" } ?? "") }
        let tail = deadline.map { ". \($0): \(link)" } ?? ". Ack: \(link)"
        // A cut site ends the sentence with its ellipsis.
        let stop = headline.hasSuffix("…") || headline.hasSuffix("...") ? " " : ". "
        return "\(headline)\(stop)Call back \(callback)\(tail)"
    }

    /// The longest text that fits one segment; else the longest that fits two; else the
    /// shortest there is (a link too long for two segments is still sent whole).
    ///
    /// A combined page keeps the other crises' references over one segment: they are how the
    /// person acknowledges each (`ACK CR-7K4P`).
    func fitted() -> String {
        let full = Self.shortenings(of: self, siteDownTo: Self.shortestUsefulSite).filter {
            alsoReferences == nil || $0.alsoReferences != nil
        }.map(\.text)
        if let single = full.first(where: { SMSLength($0).segments == 1 }) { return single }
        let all = Self.shortenings(of: self, siteDownTo: 0).map(\.text)
        return all.first(where: { SMSLength($0).segments <= 2 }) ?? all.last ?? text
    }

    /// The text shortened step by step: with every optional part, the site cut down to
    /// `siteDownTo` characters; then the same without the step, then without the deadline too;
    /// with `siteDownTo` 0, last without the site and then the category.
    static func shortenings(of draft: SMSText, siteDownTo floor: Int) -> [SMSText] {
        var stages = [draft]
        var last = draft
        for part in [\SMSText.stepNote, \SMSText.deadline, \SMSText.alsoReferences] where last[keyPath: part] != nil {
            last[keyPath: part] = nil
            stages.append(last)
        }
        if floor == 0 {
            last.site = nil
            stages.append(last)
            last.category = nil
            stages.append(last)
        }
        return stages.flatMap { stage in [stage] + siteCuts(of: stage, downTo: max(floor, 1)) }
    }

    /// The draft with its site cut one character at a time, down to `floor` characters.
    static func siteCuts(of draft: SMSText, downTo floor: Int) -> [SMSText] {
        guard let site = draft.site, site.count > floor else { return [] }
        return (floor..<site.count).reversed().map { kept in
            var shorter = draft
            let stem = site.prefix(kept).trimmingCharacters(in: CharacterSet(charactersIn: " ,;:-"))
            // "…" is not GSM-7: in a text that is GSM-7 otherwise it would halve the room.
            shorter.site = stem + "..."
            if SMSLength(shorter.text).alphabet == .ucs2 { shorter.site = stem + "…" }
            return shorter
        }
    }

    /// A site as one line: control characters (a pasted line break) become spaces, and letters
    /// are composed (`Å` as one character, which GSM-7 has, not `A` and a combining ring).
    static func oneLine(_ text: String) -> String {
        let spaced = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        return spaced.split(whereSeparator: \.isWhitespace).joined(separator: " ").precomposedStringWithCanonicalMapping
    }
}
