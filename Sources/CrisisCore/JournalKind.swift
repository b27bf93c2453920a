/// The kinds of journal entries. The raw values are stored and queried: never rename one.
public enum JournalKind: String, Codable, Sendable, CaseIterable {
    case daemonStarted = "daemon.started"
    case daemonStopping = "daemon.stopping"
    case configLoaded = "config.loaded"
    case crisisReceived = "crisis.received"
    case crisisRouted = "crisis.routed"
    case crisisUnstaffed = "crisis.unstaffed"
    case clockStarted = "clock.started"
    case clockEnded = "clock.ended"
    case pageQueued = "page.queued"
    case pageAttempted = "page.attempted"
    case pageDelivered = "page.delivered"
    case pageFailed = "page.failed"
    case pageRetryScheduled = "page.retry_scheduled"
    case pageGaveUp = "page.gave_up"
    case pageCancelled = "page.cancelled"
    case crisisAcknowledged = "crisis.acknowledged"
}
