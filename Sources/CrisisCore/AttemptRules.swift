import Foundation

/// What the outcome of one attempt at a page changes, pure: the same for every store.
public enum AttemptRules {
    /// One attempt at a page: which page, to whom, on which channel, its number, and the crisis.
    public struct Attempt: Sendable, Equatable {
        public var page: Int64
        public var person: String
        public var channel: String
        public var number: Int
        public var reference: CrisisReference

        public init(page: Int64, person: String, channel: String, number: Int, reference: CrisisReference) {
            self.page = page
            self.person = person
            self.channel = channel
            self.number = number
            self.reference = reference
        }

        /// A journal entry about this attempt, with what identifies it.
        func entry(_ kind: JournalKind, _ data: [String: String] = [:], at now: Date) -> JournalEntry {
            let base = ["page": "\(page)", "person": person, "channel": channel, "attempt": "\(number)"]
            return JournalEntry(
                at: now, reference: reference, kind: kind, actor: "crisisd", data: base.merging(data) { a, _ in a })
        }
    }

    /// The journal entry of an attempt claimed, on disk before its request goes out.
    public static func claimed(_ attempt: Attempt, at now: Date) -> JournalEntry {
        attempt.entry(.pageAttempted, at: now)
    }

    /// The journal entry of a page given up at its claim: its attempts are spent (`number` made).
    public static func givenUp(_ attempt: Attempt, reason: String, at now: Date) -> JournalEntry {
        attempt.entry(.pageGaveUp, ["reason": reason], at: now)
    }

    public struct Result: Sendable, Equatable {
        public var status: PageStatus
        /// When to try again; nil when there is no further attempt.
        public var nextAttemptAt: Date?
        public var lastError: String?
        /// The outcome, then the retry or the giving up.
        public var journal: [JournalEntry]
    }

    /// - Parameters:
    ///   - current: the page's status as the outcome comes back; an acknowledgement may have
    ///     cancelled it meanwhile, and a cancelled page is not retried. A delivery is recorded as one.
    public static func finish(
        _ attempt: Attempt, current: PageStatus, outcome: DeliveryOutcome, decision: RetryPolicy.Decision,
        at now: Date
    ) -> Result {
        func entry(_ kind: JournalKind, _ data: [String: String]) -> JournalEntry {
            attempt.entry(kind, data, at: now)
        }
        var result = Result(status: current, nextAttemptAt: nil, lastError: nil, journal: [])
        switch outcome {
        case .delivered(let detail):
            result.journal.append(entry(.pageDelivered, ["detail": detail]))
        case .failed(let retryable, let reason, _):
            result.lastError = reason
            result.journal.append(entry(.pageFailed, ["reason": reason, "retryable": "\(retryable)"]))
        }
        let stillPending = current == .pending
        switch decision {
        case .done:
            result.status = .delivered
        case .retry(let at) where stillPending:
            result.nextAttemptAt = at
            result.journal.append(entry(.pageRetryScheduled, ["next_attempt_at": at.formatted(.iso8601)]))
        case .giveUp(let reason) where stillPending:
            result.status = .failed
            result.journal.append(entry(.pageGaveUp, ["reason": reason]))
        case .retry, .giveUp:
            break
        }
        return result
    }
}
