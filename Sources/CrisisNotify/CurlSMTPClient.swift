import CCurl
import Foundation

/// One message for libcurl's SMTP: the envelope (`from`, `recipients`) and the RFC 5322 bytes.
public struct SMTPCall: Sendable {
    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    public var from: String
    public var recipients: [String]
    /// The whole message, CRLF line endings; libcurl dot-stuffs it and adds the final `.`.
    public var message: [UInt8]
    public var username: String?
    public var password: String?
    /// On smtp://: true fails unless the server takes STARTTLS; false uses it when offered.
    public var requireTLS: Bool
    public var timeout: TimeInterval

    public init(
        url: String, from: String, recipients: [String], message: [UInt8], username: String? = nil,
        password: String? = nil, requireTLS: Bool = false, timeout: TimeInterval = 10
    ) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.message = message
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeout = timeout
    }
}

/// A message the server did not take, or never saw.
public struct SMTPCallFailure: Error, Sendable, CustomStringConvertible {
    /// libcurl's code.
    public var code: Int
    /// The server's last reply code (550, 451, …), 0 when it never answered.
    public var reply: Int
    public var message: String
    public var retryable: Bool

    public var description: String { reply == 0 ? message : "\(message) (SMTP \(reply))" }

    /// A 5xx reply is the server's final word (unknown recipient, relay denied, bad login): no retry
    /// changes it. So is a URL libcurl cannot use, or a server without the STARTTLS `starttls`
    /// requires. Anything else, a 4xx (greylisting, a full queue), a refused connection or a
    /// timeout, is worth another try.
    static func retryable(code: CURLcode, reply: Int) -> Bool {
        if (500..<600).contains(reply) { return false }
        return ![CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_USE_SSL_FAILED].contains(code)
    }
}

/// Sends mail over libcurl's SMTP. Call `perform` off Swift's cooperative pool, or use `send`.
///
/// libcurl reports a refused RCPT, MAIL or DATA as CURLE_SEND_ERROR, a refused end of data as
/// CURLE_WEIRD_SERVER_REPLY and a refused login as CURLE_LOGIN_DENIED, whatever the reply was:
/// CURLINFO_RESPONSE_CODE, the server's last reply code, tells a 451 from a 550.
public enum CurlSMTPClient {
    /// On a thread of its own, as `CurlHTTPClient.send`, so a slow server never blocks the pool.
    public static func send(_ call: SMTPCall) async -> Result<Int, SMTPCallFailure> {
        await OwnThread.run { perform(call) }
    }

    /// Sends on the current thread; the server's reply code to the message when it took it.
    public static func perform(_ call: SMTPCall) -> Result<Int, SMTPCallFailure> {
        _ = CurlHTTPClient.initialised
        guard let handle = curl_easy_init() else {
            return .failure(SMTPCallFailure(code: -1, reply: 0, message: "libcurl could not start", retryable: true))
        }
        defer { curl_easy_cleanup(handle) }

        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        for recipient in call.recipients {
            recipients = curl_slist_append(recipients, recipient)
        }
        let source = MessageSource(call.message)

        crisisd_curl_setopt_string(handle, CURLOPT_URL, call.url)
        crisisd_curl_setopt_string(handle, CURLOPT_MAIL_FROM, call.from)
        crisisd_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        crisisd_curl_setopt_long(
            handle, CURLOPT_USE_SSL, Int((call.requireTLS ? CURLUSESSL_ALL : CURLUSESSL_TRY).rawValue))
        if let username = call.username { crisisd_curl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = call.password { crisisd_curl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        crisisd_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        crisisd_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(call.timeout * 1000)))
        crisisd_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(call.timeout, 10) * 1000)))
        crisisd_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        crisisd_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque())
        crisisd_curl_setopt_read_function(handle) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let source = Unmanaged<MessageSource>.fromOpaque(context).takeUnretainedValue()
            return source.read(into: buffer, capacity: size * count)
        }

        let code = withExtendedLifetime(source) { curl_easy_perform(handle) }
        var reply = 0
        crisisd_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        guard code == CURLE_OK else {
            return .failure(
                SMTPCallFailure(
                    code: Int(code.rawValue), reply: reply, message: String(cString: curl_easy_strerror(code)),
                    retryable: SMTPCallFailure.retryable(code: code, reply: reply)))
        }
        return .success(reply)
    }
}

/// Hands the message to libcurl's read callback piece by piece; used by one transfer on one thread.
private final class MessageSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Copies up to `capacity` bytes; 0 at the end.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
