import CrisisCore

/// `type = "sms"` channels: Twilio's Messages API, or any HTTP gateway described by templates.
extension ConfigLoader {
    static let smsFlavours = ["twilio", "generic"]
    private static let twilioKeys = ["url", "account_sid", "auth_token", "from"]
    private static let genericKeys = ["method", "url", "headers", "body", "content_type", "from"]
    private static let inboundKeys = [
        "inbound_secret", "inbound_secret_sha256", "inbound_from_field", "inbound_body_field",
    ]

    static func readSMSGateway(_ section: TableReader) -> SMSGateway? {
        let flavour = section.string("flavour", required: true)
        switch flavour {
        case "twilio":
            for key in inboundKeys where section.raw(key) != nil {
                section.issue(key, "is for the generic flavour: Twilio's replies are checked with auth_token")
            }
            return readTwilioAccount(section).map {
                .twilio(url: $0.url, accountSID: $0.accountSID, authToken: $0.authToken, from: $0.from)
            }
        case "generic":
            return readGenericSMS(section)
        case let other?:
            section.issue("flavour", "\"\(other)\" is not one of \(smsFlavours.joined(separator: ", "))")
        case nil:
            break
        }
        // Without a flavour the other keys cannot be judged: they are not "unknown" either.
        for key in twilioKeys + genericKeys + inboundKeys { _ = section.raw(key) }
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

    private static func readGenericSMS(_ section: TableReader) -> SMSGateway? {
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
        let inbound = readGenericInbound(section)
        guard valid, let url, let headers, section.has("body") == (body != nil), !section.has("from") || from != nil,
            let inbound
        else { return nil }
        let request = GenericSMSRequest(
            method: method, url: url, headers: headers, body: body, contentType: contentType, from: from)
        return .generic(request, inbound: inbound)
    }

    /// The keys that open `/v1/inbound/sms/CHANNEL` to the gateway's replies. The secret is
    /// never quoted back. Returns nil when they are wrong, `.some(nil)` when there are none.
    private static func readGenericInbound(_ section: TableReader) -> GenericSMSInbound?? {
        var valid = true
        var secret: GenericSMSInbound.Secret?
        let plain = section.string("inbound_secret")
        let hash = section.string("inbound_secret_sha256")?.lowercased()
        if plain != nil, hash != nil {
            section.issue("inbound_secret_sha256", "give inbound_secret or inbound_secret_sha256, not both")
            valid = false
        } else if let plain {
            if !plain.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) {
                section.issue("inbound_secret", "must be printable ASCII without spaces: it travels in an HTTP header")
                valid = false
            } else if plain.count < GenericSMSInbound.minimumSecretLength {
                section.issue(
                    "inbound_secret",
                    "must be at least \(GenericSMSInbound.minimumSecretLength) characters "
                        + "(make one with: openssl rand -hex 32)")
                valid = false
            } else {
                secret = .plain(plain)
            }
        } else if let hash {
            if hash.count == 64, hash.allSatisfy(\.isHexDigit) {
                secret = .sha256(hash)
            } else {
                section.issue("inbound_secret_sha256", "must be 64 hex digits (printf %s \"$SECRET\" | sha256sum)")
                valid = false
            }
        }
        let fromField = inboundField(section, "inbound_from_field", default: GenericSMSInbound.defaultFromField)
        let bodyField = inboundField(section, "inbound_body_field", default: GenericSMSInbound.defaultBodyField)
        if let fromField, fromField == bodyField {
            section.issue("inbound_body_field", "must differ from inbound_from_field")
            valid = false
        }
        if plain == nil, hash == nil {
            for key in ["inbound_from_field", "inbound_body_field"] where section.has(key) {
                section.issue(key, "needs inbound_secret (or inbound_secret_sha256): replies come in only with one")
                valid = false
            }
        }
        guard valid, let fromField, let bodyField else { return nil }
        return .some(secret.map { GenericSMSInbound(secret: $0, fromField: fromField, bodyField: bodyField) })
    }

    /// A field name of the gateway's inbound form: not empty, one line.
    private static func inboundField(_ section: TableReader, _ key: String, default fallback: String) -> String? {
        guard section.has(key) else { return fallback }
        guard let name = section.string(key) else { return nil }
        guard !name.isEmpty, !name.contains(where: \.isNewline) else {
            section.issue(key, "must name the gateway's form field, such as \"\(fallback)\"")
            return nil
        }
        return name
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
