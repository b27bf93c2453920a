import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP answer with its headers, for the tests that need one (`Retry-After`): the project's
/// libcurl client keeps only the status and body.
struct HeaderedReply {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

extension TestDaemon {
    /// A request to the TCP listener through URLSession, keeping the answer's headers.
    func requestKeepingHeaders(_ method: String, _ path: String, token: String = TestDaemon.token) async throws
        -> HeaderedReply
    {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 10
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (body, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP answer from \(path)") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        return HeaderedReply(status: http.statusCode, headers: headers, body: body)
    }
}
