import CrisisCore

/// How a write failed, so that its 500 says what is true about what was kept.
public enum WriteFailure: Error, CustomStringConvertible {
    /// The write's one transaction failed and was rolled back: nothing of the request was kept.
    case nothingRecorded(cause: any Error)
    /// The write was committed, then a step after it (reading the result back) failed.
    /// - Parameters:
    ///   - what: what was kept and what failed after, as a clause: `the milestone contacted for CR-7K4P
    ///     was recorded, but reading the crisis back failed`.
    ///   - check: where to see it, so that it is not sent again: `crisisctl status CR-7K4P`.
    case recordedThenFailed(what: String, check: String, cause: any Error)

    /// The error the caller is told.
    public var answer: String {
        switch self {
        case .nothingRecorded:
            "internal error: nothing was recorded; try again or phone the provider"
        case .recordedThenFailed(let what, let check, _):
            "internal error: \(what); do not send it again: check with \(check), or phone the provider"
        }
    }

    /// What went wrong underneath, for the log.
    public var description: String {
        switch self {
        case .nothingRecorded(let cause): "\(cause)"
        case .recordedThenFailed(let what, _, let cause): "\(what): \(cause)"
        }
    }
}
