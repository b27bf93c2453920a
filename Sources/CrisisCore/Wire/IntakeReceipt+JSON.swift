import Foundation

extension IntakeReceipt {
    /// The receipt as the API answers it: byte for byte what `JSONCoding.encoder()` writes
    /// (`WireJSONTests`), written directly, as a page's body is (`PageMessage.json`).
    public var json: [UInt8] {
        let dates: [Date?] =
            [receivedAt] + clocks.flatMap { [$0.startedAt, $0.dueAt, $0.warnAt, $0.warnedAt, $0.endedAt] }
        guard JSONBytes.covers(dates.compactMap { $0 }) else {
            return (try? Array(JSONCoding.encoder().encode(self))) ?? []
        }
        var writer = JSONBytes()
        writer.object {
            $0.field("clocks") { writer in writer.array(clocks) { $0.clock($1) } }
            $0.field("created") { $0.raw(created ? "true" : "false") }
            $0.field("drill") { $0.raw(drill ? "true" : "false") }
            $0.field("no_one_on_duty") { $0.raw(noOneOnDuty ? "true" : "false") }
            $0.field("paged") { writer in
                writer.array(paged) { writer, paged in
                    writer.object {
                        $0.field("name") { $0.string(paged.name) }
                        $0.field("person") { $0.string(paged.person) }
                        $0.field("phone") { $0.string(paged.phone) }
                        $0.field("reason") { $0.string(paged.reason) }
                    }
                }
            }
            $0.field("received_at") { $0.date(receivedAt) }
            $0.field("reference") { $0.string(reference.rawValue) }
            $0.field("status") { $0.string(status) }
        }
        return writer.bytes
    }
}

extension JSONBytes {
    /// A response clock as its `Codable` conformance writes it.
    mutating func clock(_ clock: ResponseClock) {
        object {
            $0.field("due_at") { $0.date(clock.dueAt) }
            if let endedAt = clock.endedAt { $0.field("ended_at") { $0.date(endedAt) } }
            if let endedBy = clock.endedBy { $0.field("ended_by") { $0.string(endedBy) } }
            $0.field("kind") { $0.string(clock.kind.rawValue) }
            $0.field("label") { $0.string(clock.label) }
            if let outcome = clock.outcome { $0.field("outcome") { $0.string(outcome.rawValue) } }
            if let reason = clock.reason { $0.field("reason") { $0.string(reason) } }
            $0.field("started_at") { $0.date(clock.startedAt) }
            $0.field("stops") { $0.string(clock.stop.rawValue) }
            if let warnAt = clock.warnAt { $0.field("warn_at") { $0.date(warnAt) } }
            if let warnedAt = clock.warnedAt { $0.field("warned_at") { $0.date(warnedAt) } }
        }
    }
}
