import Foundation

/// The daemon's one way to read the time, so that tests can hand it a clock of their own.
public protocol WallClock: Sendable {
    var now: Date { get }
}

public struct SystemWallClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}
