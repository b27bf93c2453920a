import CCurl
import Synchronization

/// libcurl easy handles kept between transfers. A handle keeps the connections it opened, so a
/// transfer on a reused handle to the same server goes out on an open connection; libcurl checks
/// that it is still alive, and opens a new one if not.
///
/// A handle is used by one transfer at a time: `take` hands it out reset to libcurl's defaults
/// (its connections stay), `put` takes it back, or closes it once `keeping` handles are idle.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[EasyHandle]>([])
    private let keeping: Int

    init(keeping: Int) {
        self.keeping = keeping
    }

    /// An idle handle, or a new one; nil when libcurl cannot make one.
    func take() -> UnsafeMutableRawPointer? {
        if let handle = idle.withLock({ $0.popLast() }) {
            curl_easy_reset(handle.pointer)
            return handle.pointer
        }
        return curl_easy_init()
    }

    func put(_ handle: UnsafeMutableRawPointer) {
        let kept = idle.withLock { idle in
            guard idle.count < keeping else { return false }
            idle.append(EasyHandle(pointer: handle))
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }
}

/// A handle in the pool: only ever used by the one thread that took it.
private struct EasyHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
