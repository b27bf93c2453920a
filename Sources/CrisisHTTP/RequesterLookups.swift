import CrisisCore
import Hummingbird
import Logging

/// A requester's lookups of one crisis (reading it, and the ack and milestone routes): it finds
/// only the crises it raised. Another's is answered exactly as an unknown reference, and both
/// are misses. References are short enough to walk, so after `LookupThrottle`'s limit of misses
/// from one token or one address, every lookup by that token or address waits (429 with
/// Retry-After), its own crises too, until the oldest miss leaves the window. Raising a crisis
/// is never held back, and the control socket is never counted.
struct RequesterLookups: Sendable {
    let service: any CrisisService
    let throttle: LookupThrottle
    let logger: Logger

    /// The answer to send instead of going on (404 or 429), or nil when the caller may go on.
    /// - Parameter address: the client's IP address, counted besides the requester.
    func refusal(_ reference: CrisisReference, caller: Caller, address: String?) async throws -> Response? {
        let id: String
        switch caller {
        case .controlSocket: return nil
        case .requester(let requester): id = requester
        case .person(let person): id = person
        }
        var keys = [caller.actor]
        if let address { keys.append("address:\(address)") }

        if case .refused(let wait, let newlyLimited) = throttle.admit(keys) {
            let seconds = Self.wholeSeconds(wait)
            if !newlyLimited.isEmpty {
                // Once per run of misses, not per refused request: a walker must not flood the journal.
                logger.warning(
                    "requester lookups held back: too many unknown crisis references",
                    metadata: [
                        "requester": "\(id)", "address": "\(address ?? "-")",
                        "limited": "\(newlyLimited.joined(separator: ","))", "retry_after_s": "\(seconds)",
                    ])
            }
            var response = APIRoutes.problem(
                .tooManyRequests,
                APIErrorBody(
                    error:
                        "too many lookups of unknown crises; try again in \(seconds) s (raising a crisis still works)",
                    field: "reference"))
            response.headers[.retryAfter] = "\(seconds)"
            return response
        }

        // A person reads and acts on the crises they were paged for; a requester on those it raised.
        let found: Bool
        if let person = caller.person {
            found = try await service.crisis(reference).map { $0.wasPaged(person) } ?? false
        } else {
            found = try await service.source(of: reference).map { caller.mayRead(raisedBy: $0) } ?? false
        }
        guard found else {
            throttle.recordMiss(keys)
            return APIRoutes.notFound(reference)
        }
        return nil
    }

    /// Retry-After is whole seconds: rounded up, at least 1.
    static func wholeSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
