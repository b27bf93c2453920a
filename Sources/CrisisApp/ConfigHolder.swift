import CrisisConfig
import CrisisCore
import Synchronization

/// The config in force and the cover written at run time, shared by the switchboard and the
/// engine, so that a reload or a new override is seen by both at once.
public final class ConfigHolder: Sendable {
    private struct State {
        var config: Config
        var overrides: [RotaOverride]
    }

    private let state: Mutex<State>

    public init(_ config: Config, overrides: [RotaOverride] = []) {
        state = Mutex(State(config: config, overrides: overrides))
    }

    public var config: Config { state.withLock { $0.config } }

    /// The rota with the file's overrides, then those written with `crisisctl rota cover`.
    public var rota: Rota { state.withLock { $0.config.rota(adding: $0.overrides) } }

    public func replace(with config: Config) { state.withLock { $0.config = config } }

    public func replace(overrides: [RotaOverride]) { state.withLock { $0.overrides = overrides } }
}
