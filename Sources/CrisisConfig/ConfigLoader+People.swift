import CrisisCore
import Foundation

/// Who is paged and how, and who may raise crises: `[[channels]]`, `[[people]]` and `[[requesters]]`.
extension ConfigLoader {
    static func readChannels(_ sections: [TableReader], sink: IssueSink) -> [Channel] {
        var channels: [Channel] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "channel")
            if let id { seen.append(id) }
            let type = section.string("type", required: true)
            var kind: Channel.Kind?
            switch type {
            case "console":
                kind = .console
            case "webhook":
                var url = section.string("url", required: true)
                var secret: WebhookSecret?
                if let text = url, !(text.hasPrefix("http://") || text.hasPrefix("https://")) {
                    section.issue("url", "\"\(text)\" must start with http:// or https://")
                    url = nil
                }
                if let text = section.string("secret", required: true) {
                    do throws(FieldError) {
                        secret = try WebhookSecret(text)
                    } catch {
                        section.issue("secret", error.message)
                    }
                }
                if let url, let secret { kind = .webhook(url: url, secret: secret) }
            case "ntfy":
                var url = section.string("url", required: true)
                if let text = url, !(text.hasPrefix("http://") || text.hasPrefix("https://")) {
                    section.issue("url", "\"\(text)\" must start with http:// or https://")
                    url = nil
                }
                let token = section.string("token")
                if let token, token.isEmpty || token.contains(where: \.isWhitespace) {
                    section.issue("token", "must be an access token (tk_…) without spaces")
                }
                if let url { kind = .ntfy(url: url, token: token) }
            case "email":
                kind = readEmailChannel(section)
            case "sms":
                kind = readSMSGateway(section).map(Channel.Kind.sms)
            case "voice":
                kind = readTwilioAccount(section).map(Channel.Kind.voice)
            case let other?:
                section.issue("type", "\"\(other)\" is not one of \(Channel.typeNames.joined(separator: ", "))")
            case nil:
                break
            }
            section.rejectUnknownKeys()
            if let id, let kind { channels.append(Channel(id: id, kind: kind)) }
        }
        return channels
    }

    /// An `email` channel: the server's `url`, the sender `from`, and a login, both parts or none.
    static func readEmailChannel(_ section: TableReader) -> Channel.Kind? {
        var url = section.string("url", required: true)
        // Not quoted back: a mistyped URL may still carry the login (`user:password@host`).
        if let text = url, !(text.hasPrefix("smtp://") || text.hasPrefix("smtps://")) {
            section.issue("url", "must start with smtp:// or smtps://")
            url = nil
        } else if let text = url {
            let rest = text.range(of: "://").map { text[$0.upperBound...] } ?? ""
            let authority = rest.prefix { !"/?#".contains($0) }
            let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
            if host.isEmpty || host.hasPrefix(":") {
                section.issue("url", "must name the server's host: smtp://HOST:PORT")
                url = nil
            }
        }
        var from = section.string("from", required: true)
        if let text = from, !isEmailAddress(text) {
            section.issue("from", "\"\(text)\" must be an e-mail address")
            from = nil
        }
        let username = section.string("username")
        let password = section.string("password")
        if username != nil && password == nil { section.issue("password", "is required with username") }
        if password != nil && username == nil { section.issue("username", "is required with password") }
        // With a login, STARTTLS is required unless the file says otherwise: a password must not
        // cross the network in the clear because a server (or a man in the middle) offered no TLS.
        let starttls = section.bool("starttls") ?? (username != nil)
        guard let url, let from, (username == nil) == (password == nil) else { return nil }
        return .email(url: url, from: from, username: username, password: password, starttls: starttls)
    }

    /// Something `@` something, with nothing that could break out of a header or an SMTP command.
    static func isEmailAddress(_ text: String) -> Bool {
        guard let at = text.firstIndex(of: "@") else { return false }
        return at != text.startIndex && at != text.index(before: text.endIndex)
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }

    static func readPeople(_ sections: [TableReader], channels: [Channel], sink: IssueSink) -> [Person] {
        var people: [Person] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "person")
            if let id { seen.append(id) }
            let name = section.string("name", required: true)
            let phone = section.string("phone", required: true)
            if let phone, !PhoneNumber.isPlausible(phone) {
                section.issue("phone", "\"\(phone)\" is not a phone number")
            }
            let contacts = readContacts(section, channels: channels, sink: sink)
            let calendarHash = section.string("calendar_token_sha256")?.lowercased()
            if let calendarHash, calendarHash.count != 64 || !calendarHash.allSatisfy(\.isHexDigit) {
                section.issue("calendar_token_sha256", "must be 64 hex digits (sha256sum of the token)")
            }
            let apiHash = section.string("token_sha256")?.lowercased()
            if let apiHash, apiHash.count != 64 || !apiHash.allSatisfy(\.isHexDigit) {
                section.issue("token_sha256", "must be 64 hex digits (sha256sum of the person's API token)")
            }
            let email = section.string("email")
            if let email, !isEmailAddress(email) {
                section.issue("email", "\"\(email)\" is not an e-mail address")
            }
            let ntfyTopic = section.string("ntfy_topic")
            if let ntfyTopic,
                ntfyTopic.isEmpty || ntfyTopic.count > 64
                    || !ntfyTopic.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            {
                section.issue("ntfy_topic", "must be 1 to 64 letters, digits, - or _")
            }
            for contact in contacts {
                guard case .ntfy = channels.first(where: { $0.id == contact.channel })?.kind, ntfyTopic == nil else {
                    continue
                }
                section.issue("ntfy_topic", "is required: contacts include the ntfy channel \"\(contact.channel)\"")
                break
            }
            for contact in contacts {
                guard case .email = channels.first(where: { $0.id == contact.channel })?.kind, email == nil else {
                    continue
                }
                section.issue("email", "is required: contacts include the e-mail channel \"\(contact.channel)\"")
                break
            }
            let roles = section.strings("roles") ?? []
            for (index, role) in roles.enumerated() where !Person.knownRoles.contains(role) {
                sink.add(
                    ConfigIssue(
                        section.path("roles") + "[\(index)]",
                        "unknown role \"\(role)\" (one of \(Person.knownRoles.joined(separator: ", ")))"))
            }
            section.rejectUnknownKeys()
            if let id, let name, let phone {
                people.append(
                    Person(
                        id: id, name: name, phone: phone, contacts: contacts, roles: roles,
                        calendarTokenSHA256: calendarHash, email: email, ntfyTopic: ntfyTopic, apiTokenSHA256: apiHash))
            }
        }
        return people
    }

    static func readRequesters(_ sections: [TableReader], channels: [Channel], sink: IssueSink) -> [Config.Requester] {
        var requesters: [Config.Requester] = []
        var seen: [String] = []
        for section in sections {
            let id = identifier(section, taken: seen, what: "requester")
            if let id { seen.append(id) }
            // One hash, or a list of them while a token is being rotated.
            var hashes: [String] = []
            var place = "token_sha256"
            switch section.raw("token_sha256") {
            case .string(let text)?:
                hashes = [text.lowercased()]
            case .array?:
                hashes = (section.strings("token_sha256") ?? []).map { $0.lowercased() }
                if hashes.isEmpty { section.issue("token_sha256", "must list at least one hash") }
            case let other?:
                section.issue("token_sha256", "must be a hash or a list of hashes, not \(describe(other))")
            case nil:
                section.issue("token_sha256", "is required")
            }
            var valid = !hashes.isEmpty
            for (index, hash) in hashes.enumerated() where hash.count != 64 || !hash.allSatisfy(\.isHexDigit) {
                if hashes.count > 1 || section.raw("token_sha256")?.array != nil { place = "token_sha256[\(index)]" }
                section.issue(place, "must be 64 hex digits (sha256sum of the token), not \"\(hash.prefix(80))\"")
                valid = false
            }
            var roles: [RequesterRole]?
            if let names = section.strings("roles") {
                roles = []
                for (index, name) in names.enumerated() {
                    guard let role = RequesterRole(rawValue: name) else {
                        sink.add(
                            ConfigIssue(
                                section.path("roles") + "[\(index)]",
                                "unknown role \"\(name)\" (one of \(RequesterRole.allNames))"))
                        valid = false
                        continue
                    }
                    roles?.append(role)
                }
                if names.isEmpty { section.issue("roles", "must name at least one role, or be left out for all") }
            }
            let email = section.string("email")
            if let email, !isEmailAddress(email) {
                section.issue("email", "\"\(email)\" is not an e-mail address")
                valid = false
            }
            let notify = section.string("notify")
            if let notify {
                switch channels.first(where: { $0.id == notify })?.kind {
                case nil:
                    section.issue(
                        "notify",
                        "\"\(notify)\" is not a channel (the channels: \(channels.map(\.id).joined(separator: ", ")))")
                    valid = false
                case .email?:
                    if email == nil {
                        section.issue("email", "is required: receipts go to the e-mail channel \"\(notify)\"")
                        valid = false
                    }
                case .sms?, .console?:
                    break
                case .webhook?, .ntfy?, .voice?:
                    section.issue(
                        "notify",
                        "\"\(notify)\" must be an sms, email or console channel: receipts go to the leader's "
                            + "call-back number or mailbox")
                    valid = false
                }
            }
            let notifyDrills = section.bool("notify_drills") ?? false
            section.rejectUnknownKeys()
            if let id, valid {
                requesters.append(
                    Config.Requester(
                        id: id, tokenSHA256s: hashes, roles: roles, notify: notify, email: email,
                        notifyDrills: notifyDrills))
            }
        }
        return requesters
    }
}
