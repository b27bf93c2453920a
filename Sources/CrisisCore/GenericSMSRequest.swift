/// The request a generic SMS gateway takes for one message: each part a Mustache template over
/// `SMSTemplate.names`, rendered for each page.
public struct GenericSMSRequest: Sendable, Equatable {
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: SMSTemplate

        public init(name: String, value: SMSTemplate) {
            self.name = name
            self.value = value
        }
    }

    /// `GET`, `POST` or `PUT`.
    public var method: String
    /// The full URL; its values are percent-encoded.
    public var url: SMSTemplate
    public var headers: [Header]
    /// Nil for a request without a body; its values are escaped for `contentType`.
    public var body: SMSTemplate?
    public var contentType: String
    /// The sender, offered to the templates as `from`.
    public var from: String?

    public static let methods = ["POST", "PUT", "GET"]
    public static let defaultContentType = "application/x-www-form-urlencoded"

    public init(
        method: String = "POST", url: SMSTemplate, headers: [Header] = [], body: SMSTemplate?,
        contentType: String = Self.defaultContentType, from: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.contentType = contentType
        self.from = from
    }
}
