import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Who is at the other end of a control-socket connection, by the kernel's word (SO_PEERCRED),
/// so the journal names the operator's user, not only "crisisctl".
enum PeerCredentials {
    /// Linux's `struct ucred` (pid, uid, gid), which Glibc's module does not export.
    struct Credentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// The peer's user name (or `uid N`), or nil where the kernel does not say (not a unix socket).
    static func user(of channel: any Channel) -> String? {
        #if os(Linux)
            guard let provider = channel as? any SocketOptionProvider else { return nil }
            let future: EventLoopFuture<Credentials> = provider.unsafeGetSocketOption(
                level: NIOBSDSocket.OptionLevel.socket, name: NIOBSDSocket.Option(rawValue: SO_PEERCRED))
            let credentials: Credentials?
            if channel.eventLoop.inEventLoop {
                // On the channel's own loop the option is read at once, and its callback runs now.
                let found = Mutex<Credentials?>(nil)
                future.whenSuccess { value in found.withLock { $0 = value } }
                credentials = found.withLock { $0 }
            } else {
                // Off the loop (a request context is made in a task): one getsockopt hop on it.
                credentials = try? future.wait()
            }
            guard let credentials else { return nil }
            return name(of: credentials.uid)
        #else
            return nil
        #endif
    }

    static func name(of uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        // The name lives in `buffer`: read it while the buffer is pinned for the call.
        let name = buffer.withUnsafeMutableBufferPointer { storage -> String? in
            guard let base = storage.baseAddress, getpwuid_r(uid, &entry, base, storage.count, &result) == 0,
                result != nil, let name = entry.pw_name
            else { return nil }
            return String(cString: name)
        }
        return name ?? "uid \(uid)"
    }
}
