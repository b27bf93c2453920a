import CrisisCore
import CrisisNotify
import Foundation

/// Talks to crisisd over its control socket (HTTP on a unix socket).
struct ControlClient {
    let socket: String

    enum Failure: Error {
        /// crisisd is not running, or the socket is not there.
        case unreachable(String)
        /// crisisd answered with an error naming what was wrong.
        case rejected(status: Int, body: APIErrorBody)
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) throws(Failure) -> T {
        try call("GET", path, body: nil, as: type)
    }

    func post<T: Decodable>(_ path: String, body: some Encodable, headers: [(String, String)] = [], as type: T.Type)
        throws(Failure) -> T
    {
        let data = (try? JSONCoding.encoder().encode(body)) ?? Data()
        return try call("POST", path, body: Array(data), headers: headers, as: type)
    }

    func delete<T: Decodable>(_ path: String, as type: T.Type) throws(Failure) -> T {
        try call("DELETE", path, body: nil, as: type)
    }

    /// A text answer, such as the iCalendar feed.
    func text(_ path: String) throws(Failure) -> String {
        let request = HTTPCall(url: "http://localhost\(path)", timeout: 30, unixSocket: socket)
        switch CurlHTTPClient.perform(request) {
        case .failure(let failure):
            throw .unreachable(failure.message)
        case .success(let reply) where (200..<300).contains(reply.status):
            return reply.text
        case .success(let reply):
            throw .rejected(status: reply.status, body: APIErrorBody(error: "crisisd answered HTTP \(reply.status)"))
        }
    }

    private func call<T: Decodable>(
        _ method: String, _ path: String, body: [UInt8]?, headers: [(String, String)] = [], as type: T.Type
    ) throws(Failure) -> T {
        let request = HTTPCall(
            method: method, url: "http://localhost\(path)", headers: [("Content-Type", "application/json")] + headers,
            body: body, timeout: 30, unixSocket: socket)
        switch CurlHTTPClient.perform(request) {
        case .failure(let failure):
            throw .unreachable(failure.message)
        case .success(let reply):
            let data = Data(reply.body)
            guard (200..<300).contains(reply.status) else {
                let error =
                    (try? JSONCoding.decoder().decode(APIErrorBody.self, from: data))
                    ?? APIErrorBody(error: "crisisd answered HTTP \(reply.status): \(reply.text.prefix(200))")
                throw .rejected(status: reply.status, body: error)
            }
            do {
                return try JSONCoding.decoder().decode(T.self, from: data)
            } catch {
                throw .rejected(
                    status: reply.status, body: APIErrorBody(error: "cannot read crisisd's answer: \(error)"))
            }
        }
    }
}
