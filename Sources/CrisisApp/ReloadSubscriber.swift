import CrisisConfig

/// Something that acts on each config a reload puts in force. The `ConfigReloader` tells its
/// subscribers in two steps, so that what the new config relies on is in place before anything
/// routes with it: a page planned with the new config must find its channel in the sender.
public protocol ReloadSubscriber: Sendable {
    /// The new config, before it is in force (`ConfigHolder`): get ready for it.
    func prepare(for config: Config) async
    /// The new config is in force.
    func applied(_ config: Config) async
}

extension ReloadSubscriber {
    public func prepare(for config: Config) async {}
    public func applied(_ config: Config) async {}
}
