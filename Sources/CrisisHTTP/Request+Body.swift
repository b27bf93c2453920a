import CrisisCore
import Hummingbird

extension Request {
    /// The whole body, at most `limit` bytes.
    ///
    /// A body that cannot be read (shorter than its Content-Length, or malformed chunked encoding)
    /// is the client's error: it becomes a `FieldError` on `body`, answered 400, not a 500.
    ///
    /// - Throws: the 413 error of `collectBody` when the body is over `limit`; `FieldError` otherwise.
    mutating func readBody(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw error
        } catch {
            throw FieldError(
                field: "body",
                "could not be read: it ended before its Content-Length, or its chunked encoding is malformed")
        }
    }
}
