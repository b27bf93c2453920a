import CrisisCore

/// `type = "sms"` channels: Twilio's Messages API, or any HTTP gateway described by templates.
extension ConfigLoader {
    static let smsFlavours = ["twilio", "generic"]
    private static let twilioKeys = ["url", "account_sid", "auth_token", "from"]
    private static let genericKeys = ["method", "url", "headers", "body", "content_type", "from"]

    static func readSMSGateway(_ section: TableReader) -> SMSGateway? {
        let flavour = section.string("flavour", required: true)
        switch flavour {
        case "twilio":
            return readTwilioAccount(section).map {
                .twilio(url: $0.url, accountSID: $0.accountSID, authToken: $0.authToken, from: $0.from)
            }
        case "generic":
            return readGenericSMS(section).map(SMSGateway.generic)
        case let other?:
            section.issue("flavour", "\"\(other)\" is not one of \(smsFlavours.joined(separator: ", "))")
        case nil:
            break
        }
        // Without a flavour the other keys cannot be judged: they are not "unknown" either.
        for key in twilioKeys + genericKeys { _ = section.raw(key) }
        return nil
    }

    /// A Twilio account's keys, shared by the `twilio` SMS flavour and `voice` channels.
    static func readTwilioAccount(_ section: TableReader) -> TwilioAccount? {
        var valid = true
        let url = httpURL(section.string("url") ?? "https://api.twilio.com", key: "url", in: section)
        let accountSID = section.string("account_sid", required: true)
        if let accountSID, accountSID.isEmpty || !accountSID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        {
            section.issue("account_sid", "must be the account SID (AC and 32 hex digits): letters and digits only")
            valid = false
        }
        let authToken = section.string("auth_token", required: true)
        if let authToken, authToken.isEmpty || authToken.contains(where: \.isWhitespace) {
            section.issue("auth_token", "must be the account's auth token, without spaces")
            valid = false
        }
        let from = senderNumber(section, required: true)
        guard valid, let url, let accountSID, let authToken, let from else { return nil }
        return TwilioAccount(url: url, accountSID: accountSID, authToken: authToken, from: from)
    }

    private static func readGenericSMS(_ section: TableReader) -> GenericSMSRequest? {
        var valid = true
        let method = section.string("method")?.uppercased() ?? "POST"
        if !GenericSMSRequest.methods.contains(method) {
            section.issue("method", "\"\(method)\" is not one of \(GenericSMSRequest.methods.joined(separator: ", "))")
            valid = false
        }
        var url = template(section, "url", required: true)
        if let source = url?.source, httpURL(source, key: "url", in: section) == nil { url = nil }
        let headers = smsHeaders(section)
        let body = template(section, "body")
        if method == "GET", body != nil {
            section.issue("body", "a GET request has no body: put the values in the url")
            valid = false
        }
        let contentType = section.string("content_type") ?? GenericSMSRequest.defaultContentType
        if !contentType.contains("/") || contentType.contains(where: { $0.isWhitespace && $0 != " " }) {
            section.issue("content_type", "\"\(contentType)\" is not a media type such as application/json")
            valid = false
        }
        let from = senderNumber(section, required: false)
        guard valid, let url, let headers, section.has("body") == (body != nil), !section.has("from") || from != nil
        else { return nil }
        return GenericSMSRequest(
            method: method, url: url, headers: headers, body: body, contentType: contentType, from: from)
    }

    /// `headers`: an inline table of header name to template. Content-Type has its own key.
    private static func smsHeaders(_ section: TableReader) -> [GenericSMSRequest.Header]? {
        guard let value = section.raw("headers") else { return [] }
        guard let table = value.table else {
            section.issue("headers", "must be a table of header names to templates, not \(describe(value))")
            return nil
        }
        let tokenSymbols = Set("!#$%&'*+-.^_`|~")
        var headers: [GenericSMSRequest.Header] = []
        var valid = true
        for name in table.keys {
            let place = section.path("headers") + ".\(name)"
            func issue(_ message: String) {
                section.sinkForChildren.add(ConfigIssue(place, message))
                valid = false
            }
            guard !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || tokenSymbols.contains($0)) })
            else {
                issue("is not a header name (letters, digits and !#$%&'*+-.^_`|~)")
                continue
            }
            guard name.lowercased() != "content-type" else {
                issue("set content_type instead")
                continue
            }
            guard let source = table[name]?.string else {
                issue("must be a string (a template)")
                continue
            }
            guard !source.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                issue("must be one line")
                continue
            }
            do throws(FieldError) {
                headers.append(GenericSMSRequest.Header(name: name, value: try SMSTemplate(source)))
            } catch {
                issue(error.message)
            }
        }
        return valid ? headers : nil
    }

    private static func template(_ section: TableReader, _ key: String, required: Bool = false) -> SMSTemplate? {
        guard let source = section.string(key, required: required) else { return nil }
        do throws(FieldError) {
            return try SMSTemplate(source)
        } catch {
            section.issue(key, error.message)
            return nil
        }
    }

    /// `from`: the sender's phone number, as digits and a leading `+`.
    private static func senderNumber(_ section: TableReader, required: Bool) -> String? {
        guard let text = section.string("from", required: required) else { return nil }
        guard PhoneNumber.isPlausible(text) else {
            section.issue("from", "\"\(text)\" is not a phone number (such as +4570000000)")
            return nil
        }
        return text.filter { $0.isNumber || $0 == "+" }
    }

    /// The URL is not quoted in the error: a gateway's may carry its API key.
    private static func httpURL(_ text: String, key: String, in section: TableReader) -> String? {
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            section.issue(key, "must start with http:// or https://")
            return nil
        }
        return text
    }
}
