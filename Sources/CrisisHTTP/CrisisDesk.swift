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
    /// Records a milestone (contacted, dispatched, onsite, waive-onsite, resolved).
    /// - Returns: the crisis after it, or nil for an unknown reference.
    /// - Throws: `FieldError` for a milestone out of order or a bad field.
    func record(_ reference: CrisisReference, _ request: MilestoneRequest, actor: String) async throws -> CrisisView?
    func crisis(_ reference: CrisisReference) async throws -> CrisisView?
    func openCrises() async throws -> [CrisisView]
    func journal(reference: CrisisReference?, since: Date?) async throws -> [JournalEntry]
    func onCall(at instant: Date?) async -> OnCallView
    func health() async -> HealthView
}
