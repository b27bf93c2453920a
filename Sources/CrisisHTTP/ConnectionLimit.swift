import HummingbirdCore
import Logging

/// Holds the listener to `maximum` open connections, and says so in the log when it is reached:
/// further connections wait in the kernel's backlog until one closes, instead of the process
/// running out of descriptors with nothing logged.
public struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private var open = 0
    private var warned = false

    public init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    public mutating func connectionOpened() {
        open += 1
        if open >= maximum, !warned {
            warned = true
            logger.warning(
                "connection limit reached: new connections wait until one closes",
                metadata: ["max_connections": "\(maximum)"])
        }
    }

    public mutating func connectionClosed() {
        open -= 1
        // Warn again only after the listener has had room to breathe, not on every flap at the edge.
        if open <= maximum * 3 / 4 { warned = false }
    }

    public func isAcceptingNewConnections() -> Bool { open < maximum }
}
