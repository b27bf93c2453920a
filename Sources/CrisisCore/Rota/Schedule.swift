/// Layers of rotations: at any instant the first layer with someone on duty wins, so a
/// provider can have a daytime team and a night team.
public struct Schedule: Sendable, Equatable {
    public var id: String
    /// Rotation ids, first wins.
    public var layers: [String]
    /// The rotation or schedule that covers when this one's person does not answer.
    public var backup: String?

    public init(id: String, layers: [String], backup: String? = nil) {
        self.id = id
        self.layers = layers
        self.backup = backup
    }
}
