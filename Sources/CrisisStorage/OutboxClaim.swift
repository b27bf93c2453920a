import Foundation

/// What one claim of the page outbox handed out to send, and what it gave up without sending.
public struct OutboxClaim: Sendable {
    /// Pages to send now, each with its attempt already on disk.
    public var pages: [OutboundPage] = []
    /// Pages whose attempts were all spent with no delivery recorded: marked failed, not sent.
    public var givenUp: [GivenUpPage] = []
    /// Pages of crises the store cannot read: left pending, due again after `setAsideFor`.
    public var setAside: [SetAsidePage] = []

    public init(pages: [OutboundPage] = [], givenUp: [GivenUpPage] = [], setAside: [SetAsidePage] = []) {
        self.pages = pages
        self.givenUp = givenUp
        self.setAside = setAside
    }

    /// How long a page of an unreadable crisis waits before it is tried again: long enough not to
    /// flood the log, short enough that a mended row pages within a minute.
    public static let setAsideFor: TimeInterval = 60
}

/// A page left pending because its crisis cannot be read.
public struct SetAsidePage: Sendable {
    public var pageID: Int64
    /// Which row holds what value the store does not know.
    public var reason: String

    public init(pageID: Int64, reason: String) {
        self.pageID = pageID
        self.reason = reason
    }
}

/// A page whose attempts were all spent without a recorded delivery.
public struct GivenUpPage: Sendable {
    /// The page, with `attempt` the number of attempts made.
    public var page: OutboundPage
    public var reason: String

    public init(page: OutboundPage, reason: String) {
        self.page = page
        self.reason = reason
    }
}
