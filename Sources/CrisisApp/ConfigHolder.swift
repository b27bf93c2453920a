import CrisisConfig
import CrisisCore
import Synchronization

/// The config in force and the cover written at run time, shared by the service and the
/// engine, so that a reload or a new override is seen by both at once.
public final class ConfigHolder: Sendable {
    private struct State {
        var config: Config
        var overrides: [RotaOverride]
        /// What the two make, worked out when either is replaced, not at each read.
        var rota: Rota
        var routes: RoutingMemo

        init(config: Config, overrides: [RotaOverride]) {
            self.config = config
            self.overrides = overrides
            let base = config.rota
            rota = config.rota(adding: overrides.filter { ConfigHolder.applies($0, to: base) })
            routes = RoutingMemo(rota: rota)
        }
    }

    private let state: Mutex<State>

    public init(_ config: Config, overrides: [RotaOverride] = []) {
        state = Mutex(State(config: config, overrides: overrides))
    }

    public var config: Config { state.withLock { $0.config } }

    /// The config and the rota it makes, read under one lock: a decision that needs both never
    /// pairs a reloaded policy with the rota of the file before.
    public var snapshot: (config: Config, rota: Rota) {
        state.withLock { state in (state.config, state.rota) }
    }

    /// The same, with the routing memo of that rota: a new rota comes with a new memo, so a
    /// decision held for the rota before is never answered for the new one.
    public var routing: (config: Config, rota: Rota, routes: RoutingMemo) {
        state.withLock { state in (state.config, state.rota, state.routes) }
    }

    /// The rota with the file's overrides, then those written with `crisisctl rota cover`.
    /// Cover naming a person or rota the config no longer has is left out: a crisis must never
    /// be routed to someone who cannot be paged.
    public var rota: Rota { state.withLock { $0.rota } }

    /// Cover written at run time that the config in force cannot use, with the reason.
    public var unusableOverrides: [(RotaOverride, String)] {
        state.withLock { state in
            let base = state.config.rota
            return state.overrides.compactMap { override in
                if base.people[override.person] == nil {
                    return (override, "person \"\(override.person)\" is not in the config")
                }
                if !base.exists(override.target) {
                    return (override, "rota \"\(override.target)\" is not in the config")
                }
                return nil
            }
        }
    }

    static func applies(_ override: RotaOverride, to rota: Rota) -> Bool {
        rota.people[override.person] != nil && rota.exists(override.target)
    }

    public func replace(with config: Config) {
        state.withLock { $0 = State(config: config, overrides: $0.overrides) }
    }

    public func replace(overrides: [RotaOverride]) {
        state.withLock { $0 = State(config: $0.config, overrides: overrides) }
    }
}
