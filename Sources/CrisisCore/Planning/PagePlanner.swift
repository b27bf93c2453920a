import Foundation

/// Turns the people a decision names into outbox rows: one per contact of each person, due
/// as long after the decision as the contact says.
public enum PagePlanner {
    public static func pages(
        for people: [String], rota: Rota, step: Int, kind: PageMessage.Kind, clock: ClockKind? = nil
    ) -> [CrisisDraft.Page] {
        people.flatMap { person in
            (rota.people[person]?.contacts ?? []).map {
                CrisisDraft.Page(
                    person: person, channel: $0.channel, step: step, kind: kind, clock: clock, after: $0.after)
            }
        }
    }
}
