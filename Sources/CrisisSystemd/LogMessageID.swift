import Logging

/// The events ops filter on, each with its stable journald `MESSAGE_ID`
/// (`journalctl MESSAGE_ID=…`) and an entry in `Deploy/crisisd.catalog` that explains it
/// (`journalctl -x`). A call site passes one as metadata: `metadata: .event(.paged, [...])`.
///
/// The ids were generated once and are a contract with ops' filters and alerts: never change one.
public enum LogMessageID: String, CaseIterable, Sendable {
    case crisisReceived = "c87a80deb8d34f308cc481b12ad258cc"
    case paged = "ef9e00e5787345e48a542ff6bea43057"
    case acknowledged = "0cb4c12b670946fca28b37fef5182a66"
    case escalated = "8ee2bef8c09844ed9cfd01c07e2f4cd4"
    case clockWarning = "26c40f8e30584c439d226c0a4911816f"
    case clockBreached = "ecc52aa318db490491f0f0979d9baeda"
    case clockMetOrWaived = "eaa4dc471934421a8e2def9a366bdce6"
    case pageDeliveryFailing = "fc7bbcd25e494df89fd7796504e10c4d"
    case escalationExhausted = "df52433aba4c4e2992c696024240ffab"
    case noOneOnDuty = "0d361d51b2204636b4ce0a734b01d82c"
    case storeWriteFailing = "f734b33880a24269b8a1d186d9edb686"
    case configReloaded = "9397dcf68e3044838e92b72fa6baefd9"
    case reloadFailed = "65b99a57819b41afbbe68851a1fe334a"
    /// The health monitor withholds `WATCHDOG=1`: the engine stalled or the store does not answer.
    case watchdogDegraded = "6a50be7abed34435a03d82cc8187f0cc"

    /// The metadata key that carries it; the journal handler turns it into `MESSAGE_ID`.
    public static let metadataKey = "message_id"

    public var metadata: Logger.Metadata { [Self.metadataKey: .string(rawValue)] }

    /// The runbook under `Runbooks/` for an event that needs an operator (logged at warning or
    /// worse); nil for an event that only tells what happened.
    public var runbook: String? {
        switch self {
        case .crisisReceived, .paged, .acknowledged, .clockMetOrWaived, .configReloaded: nil
        case .escalated: "alerts/CrisisNotAcknowledged.md"
        case .clockWarning, .clockBreached: "alerts/ResponseClockBreached.md"
        case .pageDeliveryFailing: "alerts/PageDeliveryFailing.md"
        case .escalationExhausted: "alerts/EscalationExhausted.md"
        case .noOneOnDuty: "alerts/NoOneOnCall.md"
        case .storeWriteFailing: "alerts/JournalWriteFailing.md"
        case .reloadFailed: "alerts/ConfigReloadFailed.md"
        case .watchdogDegraded: "alerts/WatchdogDegraded.md"
        }
    }
}

extension Logger.Metadata {
    /// These fields and the event's `message_id`.
    public func event(_ id: LogMessageID) -> Logger.Metadata {
        merging(id.metadata) { _, event in event }
    }

    /// `fields` and the event's `message_id`: `metadata: .event(.paged, ["crisis_ref": "\(reference)"])`.
    public static func event(_ id: LogMessageID, _ fields: Logger.Metadata = [:]) -> Logger.Metadata {
        fields.event(id)
    }
}
