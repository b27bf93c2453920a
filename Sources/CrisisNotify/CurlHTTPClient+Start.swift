import CCurl

extension CurlHTTPClient {
    /// Handles for `start`, each with a multi handle of its own that keeps its connections.
    static let startedHandles = CurlHandlePool(keeping: 8, withMulti: true)

    /// Starts the call on the calling thread as far as it goes without waiting, and finishes it
    /// on a thread of its own (`OwnThread`), which calls `finished` with the reply.
    ///
    /// On a connection kept from an earlier call to the same server, the request is written to
    /// its socket before this returns: a page leaves from the thread that decided it, without
    /// waiting for a transfer thread to wake (tens of microseconds on a VM, more under load).
    /// Nothing here waits for the server: connecting (a kept connection is given up after
    /// libcurl's two minutes), sending what the socket did not take, and the reply are the
    /// transfer thread's, and end at the call's timeout.
    public static func start(
        _ call: HTTPCall, finished: @escaping @Sendable (Result<HTTPReply, HTTPCallFailure>) -> Void
    ) {
        _ = initialised
        guard resolvesWithoutBlocking else {
            // A libcurl that looks host names up on the calling thread: the whole call goes there.
            OwnThread.launch { finished(perform(call)) }
            return
        }
        let server = CurlHandlePool.server(of: call.url, unixSocket: call.unixSocket)
        guard let handles = startedHandles.take(for: server), let multi = handles.multi else {
            OwnThread.launch { finished(.failure(.cannotStart)) }
            return
        }
        let request = CurlRequest(call, on: handles.easy)
        guard request.copyBody(call.body) else {
            startedHandles.put(handles, server: server)
            OwnThread.launch { finished(.failure(.cannotStart)) }
            return
        }
        var running: Int32 = 0
        let added = curl_multi_add_handle(multi, handles.easy)
        let started = added == CURLM_OK ? curl_multi_perform(multi, &running) : added
        OwnThread.launch { [running] in
            let (result, reusable) = finish(
                request, in: handles, added: added == CURLM_OK, started: started, running: running)
            // After an error of the multi interface itself, its state is not to be trusted again.
            if reusable { startedHandles.put(handles, server: server) } else { startedHandles.close(handles) }
            finished(result)
        }
    }

    /// Whether this libcurl resolves host names on a thread of its own (Debian's does), so that
    /// starting a call never waits for DNS.
    static let resolvesWithoutBlocking: Bool = {
        guard let info = curl_version_info(CURLVERSION_FIRST) else { return false }
        return info.pointee.features & CURL_VERSION_ASYNCHDNS != 0
    }()

    /// Runs `request`'s transfer in `handles`' multi handle until it ends, on the calling
    /// thread: waits for its sockets (`curl_multi_poll`, which also wakes for libcurl's
    /// timeouts) and lets libcurl go on after each wait; then takes the easy handle out of the
    /// multi handle, which keeps the connection. Also says whether the handles may be used again.
    private static func finish(
        _ request: CurlRequest, in handles: CurlHandles, added: Bool, started: CURLMcode, running: Int32
    ) -> (Result<HTTPReply, HTTPCallFailure>, reusable: Bool) {
        guard added, let multi = handles.multi else { return (.failure(.multi(started)), false) }
        defer { curl_multi_remove_handle(multi, request.handle) }
        var state = started
        var running = running
        while state == CURLM_OK && running > 0 {
            state = curl_multi_poll(multi, nil, 0, 1000, nil)
            if state == CURLM_OK { state = curl_multi_perform(multi, &running) }
        }
        guard state == CURLM_OK else { return (.failure(.multi(state)), false) }
        var code = CURLE_GOT_NOTHING
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            if message.pointee.msg == CURLMSG_DONE, message.pointee.easy_handle == request.handle {
                code = message.pointee.data.result
            }
        }
        return (request.result(code), true)
    }
}

extension HTTPCallFailure {
    /// libcurl's multi interface failed (out of memory, a bad socket): nothing is known of the
    /// request, which may go again.
    static func multi(_ code: CURLMcode) -> HTTPCallFailure {
        HTTPCallFailure(
            code: Int(code.rawValue), message: String(cString: curl_multi_strerror(code)), retryable: true,
            couldNotConnect: false)
    }
}
