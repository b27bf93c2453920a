import HummingbirdCore
import Logging
import NIOCore

/// An HTTP/1.1 server whose connections run their requests on their own channel's event loop.
///
/// Hummingbird runs each connection's task on the global pool: every request then waits for a
/// pool thread to wake after its bytes arrive. Preferring the channel's loop as the task's
/// executor keeps the request on the thread that read it until it awaits something elsewhere
/// (the writer, a read), so a page leaves one thread hand-over sooner. Handlers must not block:
/// a blocked handler holds up every connection on its loop.
public struct ChannelLoopHTTPServer<Inner: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Inner.Value
    let inner: Inner

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger)
    }

    public func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await inner.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 as `http1(configuration:)`, each connection's requests on its channel's loop.
    public static func http1OnChannelLoop(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in
            ChannelLoopHTTPServer(inner: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
