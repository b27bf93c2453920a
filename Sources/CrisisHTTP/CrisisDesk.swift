import CrisisCore
import Foundation

/// What the HTTP API and the control socket can ask of the daemon. The routes decode, call one
/// of these, and encode: the rules live behind this protocol, not in the routes.
public protocol CrisisDesk: Sendable {
    /// Records a crisis and answers only once it is on disk.
    /// - Throws: `IntakeErrors` naming each field at fault.
    func receive(_ form: IntakeForm, source: String, idempotencyKey: String?) async throws -> IntakeReceipt
    /// - Returns: nil for an unknown reference.
    /// - Throws: `FieldError` for an unknown person in `by`.
    func acknowledge(_ reference: CrisisReference, by person: String?, actor: String) async throws -> AckReceipt?
    func crisis(_ reference: CrisisReference) async throws -> CrisisView?
    func openCrises() async throws -> [CrisisView]
    func journal(reference: CrisisReference?, since: Date?) async throws -> [JournalEntry]
    func onCall(at instant: Date?) async -> OnCallView
    func health() async -> HealthView
}
