import Hummingbird
import NIOCore

/// Hummingbird's basic request context plus the client's IP address, which requester lookups
/// are throttled by.
public struct CrisisRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address; nil on the control socket.
    public let clientAddress: String?
    /// On the control socket, the connecting user, by the kernel's word.
    public let peerUser: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
        peerUser = clientAddress == nil ? PeerCredentials.user(of: source.channel) : nil
    }
}
