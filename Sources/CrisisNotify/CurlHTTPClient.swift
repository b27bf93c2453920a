import CCurl
import Foundation

/// One HTTP request for libcurl: to a URL, or over a unix socket (crisisctl to crisisd).
public struct HTTPCall: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    public var timeout: TimeInterval
    public var unixSocket: String?

    public init(
        method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: TimeInterval = 10, unixSocket: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.unixSocket = unixSocket
    }
}

public struct HTTPReply: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// The answer's `Retry-After` header, as sent (seconds, or an HTTP date).
    public var retryAfter: String?

    public init(status: Int, body: [UInt8], retryAfter: String? = nil) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A transport failure: nothing came back from the server.
public struct HTTPCallFailure: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String
    /// Connection refused, timeouts, resets: worth another try. A malformed URL is not.
    public var retryable: Bool
    /// True when the server could not be reached at all (refused, no such socket).
    public var couldNotConnect: Bool

    public var description: String { message }
}

/// An HTTP client over libcurl. `perform` blocks its thread: call it off Swift's cooperative pool,
/// or use `send`, or `start` (`CurlHTTPClient+Start`), which never blocks its caller.
public enum CurlHTTPClient {
    /// libcurl's global set-up, once for every transfer (HTTP and SMTP alike).
    static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    /// Runs libcurl's global set-up now rather than in the first transfer: it loads the TLS
    /// library and its configuration, a few milliseconds that the first page after a start paid.
    /// libcurl asks for it at program start, before other threads run.
    public static func setUp() { _ = initialised }

    /// Performs the call on a thread of its own, so a slow server never blocks Swift's cooperative
    /// pool. Not on a dispatch queue: on Linux its pool runs about as many blocking calls at once as
    /// there are cores, and the other requests wait their turn (16 pages to a server taking 100 ms
    /// went out over 600 ms on 2 cores). Callers bound how many they send at once.
    public static func send(_ call: HTTPCall) async -> Result<HTTPReply, HTTPCallFailure> {
        await OwnThread.run { perform(call) }
    }

    /// Idle handles with their open connections: the next page to the same receiver reuses one
    /// (no new TCP or TLS handshake), and a burst of pages does not open a connection each.
    static let idleHandles = CurlHandlePool(keeping: 32)

    /// Performs the call on the current thread.
    public static func perform(_ call: HTTPCall) -> Result<HTTPReply, HTTPCallFailure> {
        _ = initialised
        let server = CurlHandlePool.server(of: call.url, unixSocket: call.unixSocket)
        guard let handles = idleHandles.take(for: server) else { return .failure(.cannotStart) }
        defer { idleHandles.put(handles, server: server) }
        let request = CurlRequest(call, on: handles.easy)
        let code: CURLcode = {
            guard let body = call.body else { return curl_easy_perform(handles.easy) }
            return body.withUnsafeBufferPointer { buffer in
                crisisd_curl_setopt_long(handles.easy, CURLOPT_POSTFIELDSIZE, buffer.count)
                crisisd_curl_setopt_pointer(
                    handles.easy, CURLOPT_POSTFIELDS,
                    UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
                return curl_easy_perform(handles.easy)
            }
        }()
        return request.result(code)
    }
}

extension HTTPCallFailure {
    static let cannotStart = HTTPCallFailure(
        code: -1, message: "libcurl could not start", retryable: true, couldNotConnect: false)
}

/// A call's options set on a libcurl handle, and what the transfer needs until it ends: the
/// header list and the sink for the response's body. Used by one thread at a time: the one
/// that set it up, then the one its transfer is handed on to.
final class CurlRequest: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let sink = ResponseSink()

    init(_ call: HTTPCall, on handle: UnsafeMutableRawPointer) {
        self.handle = handle
        for (name, value) in call.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // An empty Expect header stops curl waiting for "100 Continue" on larger bodies.
        headerList = curl_slist_append(headerList, "Expect:")

        crisisd_curl_setopt_string(handle, CURLOPT_URL, call.url)
        crisisd_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, call.method)
        crisisd_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        crisisd_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(call.timeout * 1000)))
        crisisd_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(call.timeout, 10) * 1000)))
        crisisd_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        // A call ends at its timeout, not once a stalled name lookup gives up (libcurl would join
        // its resolver thread; 7.87 and later leave it behind).
        crisisd_curl_setopt_long(handle, CURLOPT_QUICK_EXIT, 1)
        crisisd_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        crisisd_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        crisisd_curl_setopt_write_function(handle) { data, size, count, context in
            let total = size * count
            guard let data, let context else { return total }
            let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
            data.withMemoryRebound(to: UInt8.self, capacity: total) { bytes in
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: total))
            }
            return total
        }
        if let socket = call.unixSocket {
            crisisd_curl_setopt_string(handle, CURLOPT_UNIX_SOCKET_PATH, socket)
        }
    }

    deinit { curl_slist_free_all(headerList) }

    /// Sets `body` as the request's, copied: the transfer outlives the caller's hold on it.
    /// False when libcurl could not take it (out of memory).
    func copyBody(_ body: [UInt8]?) -> Bool {
        guard let body else { return true }
        crisisd_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
        return body.withUnsafeBufferPointer { buffer in
            crisisd_curl_setopt_pointer(
                handle, CURLOPT_COPYPOSTFIELDS,
                UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
        } == CURLE_OK
    }

    /// The reply, or why there is none, once libcurl has ended the transfer with `code`.
    func result(_ code: CURLcode) -> Result<HTTPReply, HTTPCallFailure> {
        guard code == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(code))
            let permanent = code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL
            let unreachable = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST
            return .failure(
                HTTPCallFailure(
                    code: Int(code.rawValue), message: message, retryable: !permanent, couldNotConnect: unreachable))
        }
        var status = 0
        crisisd_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var header: UnsafeMutablePointer<curl_header>?
        var retryAfter: String?
        if curl_easy_header(handle, "Retry-After", 0, UInt32(CURLH_HEADER), -1, &header) == CURLHE_OK,
            let value = header?.pointee.value
        {
            retryAfter = String(cString: value)
        }
        return .success(HTTPReply(status: status, body: sink.bytes, retryAfter: retryAfter))
    }
}

/// Collects the response body for libcurl's write callback; used by one transfer on one thread.
private final class ResponseSink {
    var bytes: [UInt8] = []
}
