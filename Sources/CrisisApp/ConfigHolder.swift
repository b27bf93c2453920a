import CrisisConfig
import Synchronization

/// The config in force, shared by the switchboard and the engine, so that a reload is seen by
/// both at once.
public final class ConfigHolder: Sendable {
    private let current: Mutex<Config>

    public init(_ config: Config) { current = Mutex(config) }

    public var config: Config { current.withLock { $0 } }

    public func replace(with config: Config) { current.withLock { $0 = config } }
}
