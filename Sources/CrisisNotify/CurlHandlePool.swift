import CCurl
import Synchronization

/// libcurl easy handles kept between transfers. A handle keeps the connections it opened, so a
/// transfer on a reused handle to the same server goes out on an open connection; libcurl checks
/// that it is still alive, and opens a new one if not.
///
/// A handle is used by one transfer at a time: `take` hands it out reset to libcurl's defaults
/// (its connections stay), `put` takes it back, or closes it once `keeping` handles are idle.
/// Each handle's connections are its own, so `take` prefers one that last went to the same
/// server: with pages to two receivers interleaved, each still finds its open connection.
///
/// With `withMulti`, each easy handle comes with a multi handle of its own, which keeps the
/// connections of the transfers run in it (`CurlHTTPClient.start`).
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[(handles: CurlHandles, server: String)]>([])
    private let keeping: Int
    private let withMulti: Bool

    init(keeping: Int, withMulti: Bool = false) {
        self.keeping = keeping
        self.withMulti = withMulti
    }

    /// Idle handles that last went to `server` (see `server(of:unixSocket:)`), else any idle
    /// ones, else new ones; nil when libcurl cannot make them.
    func take(for server: String) -> CurlHandles? {
        let kept = idle.withLock { idle in
            idle.lastIndex { $0.server == server }.map { idle.remove(at: $0) } ?? idle.popLast()
        }
        if let kept {
            curl_easy_reset(kept.handles.easy)
            return kept.handles
        }
        guard let easy = curl_easy_init() else { return nil }
        guard withMulti else { return CurlHandles(easy: easy, multi: nil) }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            return nil
        }
        return CurlHandles(easy: easy, multi: multi)
    }

    /// Takes back handles whose last transfer went to `server`.
    func put(_ handles: CurlHandles, server: String) {
        let kept = idle.withLock { idle in
            guard idle.count < keeping else { return false }
            idle.append((handles, server))
            return true
        }
        if !kept { close(handles) }
    }

    /// Closes handles not to be used again, and their connections.
    func close(_ handles: CurlHandles) {
        curl_easy_cleanup(handles.easy)
        if let multi = handles.multi { curl_multi_cleanup(multi) }
    }

    /// What a connection is kept for: the URL's scheme, host and port (its path, query and any
    /// user part left out), and the Unix socket it goes through, if any. Read in bytes: it is on
    /// every page's way, and Foundation's `range(of:)` bridged the URL to `NSString` to find "://".
    static func server(of url: String, unixSocket: String?) -> String {
        let bytes = Array(url.utf8)
        var server = url
        if let afterScheme = Self.afterScheme(in: bytes) {
            // The authority runs to the path, query or fragment; the host follows its last "@".
            var end = afterScheme
            var host = afterScheme
            while end < bytes.count, !"/?#".utf8.contains(bytes[end]) {
                if bytes[end] == UInt8(ascii: "@") { host = end + 1 }
                end += 1
            }
            server = String(decoding: bytes[..<afterScheme] + bytes[host..<end], as: UTF8.self)
        }
        return unixSocket.map { "\(server) via \($0)" } ?? server
    }

    /// The index just past the first "://", if any.
    private static func afterScheme(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        for index in 0...(bytes.count - 3)
        where bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/")
            && bytes[index + 2] == UInt8(ascii: "/")
        {
            return index + 3
        }
        return nil
    }
}

/// A libcurl easy handle, and the multi handle it runs in if any: only ever used by the one
/// thread that has it (taken from the pool, or handed on with its transfer).
struct CurlHandles: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    let multi: UnsafeMutableRawPointer?
}
