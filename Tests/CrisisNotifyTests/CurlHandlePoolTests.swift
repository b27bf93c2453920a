import Testing

@testable import CrisisNotify

/// Idle libcurl handles are kept per server: a page takes one whose open connection goes where it
/// goes, whatever the path, query or credentials of its URL.
struct CurlHandlePoolTests {
    @Test(arguments: [
        ("https://hooks.example.org/crisis?x=1#top", "https://hooks.example.org"),
        ("http://127.0.0.1:8080/c", "http://127.0.0.1:8080"),
        ("https://user:p@ss@hooks.example.org:8443/a/b", "https://hooks.example.org:8443"),
        ("http://[::1]:9000?q", "http://[::1]:9000"),
        ("https://ntfy.example.org", "https://ntfy.example.org"),
        ("not a url", "not a url"),
        ("", ""),
    ])
    func aServerIsItsSchemeHostAndPort(url: String, server: String) {
        #expect(CurlHandlePool.server(of: url, unixSocket: nil) == server)
    }

    @Test func aUnixSocketIsPartOfTheServer() {
        #expect(
            CurlHandlePool.server(of: "http://localhost/v1/crises", unixSocket: "/run/crisisd/control.sock")
                == "http://localhost via /run/crisisd/control.sock")
    }
}
