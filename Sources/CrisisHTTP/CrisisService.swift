import CrisisCore
import Foundation

/// What the HTTP API and the control socket can ask of the daemon. The routes decode, call one
/// of these, and encode: the rules live behind this protocol, not in the routes.
public protocol CrisisService: Sendable {
    /// Records a crisis and answers only once it is on disk.
    /// - Throws: `IntakeErrors` naming each field at fault.
    func receive(_ form: IntakeForm, source: String, idempotencyKey: String?) async throws -> IntakeReceipt
    /// - Returns: nil for an unknown reference.
    /// - Throws: `FieldError` for an unknown person in `by`.
    func acknowledge(_ reference: CrisisReference, by person: String?, actor: String) async throws -> AckReceipt?
    /// Records a milestone (contacted, dispatched, onsite, waive-onsite, resolved).
    /// - Returns: the crisis after it, or nil for an unknown reference.
    /// - Throws: `FieldError` for a milestone out of order or a bad field.
    func record(_ reference: CrisisReference, _ request: MilestoneRequest, actor: String) async throws -> CrisisView?
    func crisis(_ reference: CrisisReference) async throws -> CrisisView?
    /// What an acknowledgement link opens; nil for a token that is unknown, expired, or whose
    /// crisis is resolved.
    func ackLink(_ token: String) async throws -> AckLinkPage?
    /// Who raised a crisis, as its intake's `source` (`requester:ID` or `crisisctl`).
    /// - Returns: nil for an unknown reference.
    func source(of reference: CrisisReference) async throws -> String?
    func openCrises() async throws -> [CrisisView]
    /// The unresolved crisis `person` was last paged for (by time received), or `reference` if
    /// they were paged for it; nil when there is none.
    func latestPagedCrisis(for person: String, named reference: CrisisReference?) async throws -> CrisisView?
    /// The public URL, auth tokens and phone numbers Twilio's callbacks are checked against.
    func twilioSetup() async -> TwilioSetup
    func journal(reference: CrisisReference?, since: Date?) async throws -> [JournalEntry]
    func onCall(at instant: Date?) async -> OnCallView
    /// Cover written at run time, not removed, oldest first.
    func overrides() async throws -> [RotaOverride]
    /// - Throws: `FieldError` naming the field at fault.
    func addOverride(_ request: OverrideRequest, actor: String) async throws -> RotaOverride
    /// - Returns: nil for an unknown or already removed id.
    func removeOverride(_ id: String, actor: String) async throws -> RotaOverride?
    /// Who is on duty on every rotation and schedule over a range, optionally one person's shifts.
    func rota(from: Date, to: Date, person: String?) async -> [Duty]
    /// A person's (or everyone's) shifts as iCalendar, from a week ago to 13 weeks ahead.
    func calendar(person: String?) async -> String
    /// Whether `token` opens `person`'s calendar feed.
    func calendarToken(_ token: String, opens person: String) async -> Bool
    func health() async -> HealthView
    /// What is running, and whether the last reload took.
    func daemonStatus() async -> DaemonStatus
    /// The ops board as it stands now.
    func board() async throws -> OpsBoard
    /// A signed link to the board, valid for `validFor` seconds from now.
    func boardLink(validFor: TimeInterval) async throws -> BoardLink
    /// Whether a board link's `expires` and `sig` open the board now.
    func boardLinkOpens(expires: String?, signature: String?) async -> Bool
}
