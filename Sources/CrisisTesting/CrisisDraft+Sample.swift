import CrisisCore
import Foundation

extension CrisisDraft {
    /// A violence crisis at the Depot, assigned to anna, received at `receivedAt`, its first step
    /// five minutes later: what store tests record when only the crisis's being there matters.
    public static func sample(
        _ reference: CrisisReference, at receivedAt: Date, pages: [CrisisDraft.Page] = []
    ) -> CrisisDraft {
        CrisisDraft(
            reference: reference, intake: Intake(category: .violence, site: "Depot", callback: "+4512345678"),
            source: "crisisctl", idempotencyKey: nil, receivedAt: receivedAt, assigned: ["anna"], noOneOnDuty: false,
            clocks: ClockPolicy().startClocks(firstContact: receivedAt, group: false),
            progress: EscalationProgress(nextAt: receivedAt + 300), pages: pages,
            journal: [JournalEntry(at: receivedAt, reference: reference, kind: .crisisReceived, actor: "crisisctl")])
    }
}
