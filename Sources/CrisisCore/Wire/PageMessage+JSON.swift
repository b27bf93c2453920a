import Foundation

extension PageMessage {
    /// The page as a webhook posts it: byte for byte what `JSONCoding.encoder()` writes (sorted
    /// keys, ISO 8601 dates in whole seconds, `WireJSONTests` holds the two together),
    /// written directly. `JSONEncoder` was two thirds of a webhook attempt's time on the pool.
    public var json: [UInt8] {
        let dates = [receivedAt] + Array(deadlines.values) + [callBackBy].compactMap { $0 }
        guard JSONBytes.covers(dates, keys: Array(deadlines.keys) + Array(labels.keys)) else {
            // Dates or keys outside what the writer covers: the encoder's own text.
            return (try? Array(JSONCoding.encoder().encode(self))) ?? []
        }
        var writer = JSONBytes()
        writer.object {
            $0.field("ack_url") { $0.string(ackURL) }
            if let acknowledgedBy { $0.field("acknowledged_by") { $0.string(acknowledgedBy) } }
            if let also {
                $0.field("also") { writer in
                    writer.array(also) { writer, waiting in
                        writer.object {
                            $0.field("callback") { $0.string(waiting.callback) }
                            $0.field("category") { $0.string(waiting.category.rawValue) }
                            $0.field("id") { $0.string(waiting.id) }
                            $0.field("kind") { $0.string(waiting.kind.rawValue) }
                            $0.field("reference") { $0.string(waiting.reference.rawValue) }
                            $0.field("site") { $0.string(waiting.site) }
                        }
                    }
                }
            }
            $0.field("attempt") { $0.integer(attempt) }
            if let callBackBy { $0.field("call_back_by") { $0.date(callBackBy) } }
            $0.field("callback") { $0.string(callback) }
            $0.field("category") { $0.string(category.rawValue) }
            if let clock { $0.field("clock") { $0.string(clock.rawValue) } }
            $0.field("deadlines") { writer in
                writer.object {
                    for key in deadlines.keys.sorted() { $0.field(key) { $0.date(deadlines[key]!) } }
                }
            }
            $0.field("drill") { $0.raw(drill ? "true" : "false") }
            $0.field("id") { $0.string(id) }
            $0.field("kind") { $0.string(kind.rawValue) }
            $0.field("labels") { writer in
                writer.object {
                    for key in labels.keys.sorted() { $0.field(key) { $0.string(labels[key]!) } }
                }
            }
            $0.field("received_at") { $0.date(receivedAt) }
            $0.field("recipient") { $0.string(recipient) }
            $0.field("reference") { $0.string(reference.rawValue) }
            $0.field("site") { $0.string(site) }
            $0.field("step") { $0.integer(step) }
        }
        return writer.bytes
    }
}
