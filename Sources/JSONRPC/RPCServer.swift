import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A JSON-RPC 2.0 server on a Unix socket: newline-delimited messages, calls answered
/// independently and concurrently, explicit limits. `run()` serves until `shutdown()` or
/// task cancellation, then stops accepting, lets calls in flight finish (bounded), closes
/// every connection and removes its socket file.
public final class RPCServer: Sendable {
    private let configuration: RPCServerConfiguration
    private let handler: any RPCHandler
    private let group: any EventLoopGroup
    private let logger: Logger
    private let tracker = RPCConnectionTracker()
    private let stop: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)

    /// Creates a server; nothing listens until `run()`.
    public init(configuration: RPCServerConfiguration, handler: any RPCHandler, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.group = group
        self.logger = logger
        stop = AsyncStream<Void>.makeStream()
    }

    /// Connections open now.
    public var connections: Int { tracker.connections }

    /// Calls running now.
    public var callsInFlight: Int { tracker.calls }

    /// Binds and serves until shut down.
    public func run() async throws {
        let configuration = self.configuration
        let handler = self.handler
        let tracker = self.tracker
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let (id, count) = tracker.add(channel)
                    channel.closeFuture.whenComplete { _ in tracker.remove(id) }
                    var rejection: RPCError?
                    if count > configuration.maxClients {
                        logger.warning("too many clients; refusing one", metadata: ["limit": "\(configuration.maxClients)"])
                        rejection = RPCError(code: -32000, message: "server busy: more than \(configuration.maxClients) clients",
                                             data: .object(["code": .string("unavailable")]))
                    }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(NewlineFrameDecoder(maxLength: configuration.maxMessageBytes)))
                    try pipeline.addHandler(RPCConnectionHandler(
                        handler: handler, configuration: configuration, tracker: tracker, connectionID: id,
                        rejection: rejection, logger: logger))
                }
            }
        let server = try await UnixSocketFile.listen(bootstrap, path: configuration.path, mode: configuration.mode, group: configuration.group)
        logger.info("listening", metadata: ["socket": "\(configuration.path)", "listener": "\(configuration.label)"])

        await withTaskCancellationHandler {
            for await _ in stop.stream {}
        } onCancel: {
            stop.continuation.finish()
        }

        // Graceful: no new clients, calls in flight finish (bounded), then everyone goes.
        try? await server.close()
        let deadline = NIODeadline.now() + configuration.drainTimeout
        while tracker.calls > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if tracker.calls > 0 { logger.warning("shutdown: abandoning calls in flight", metadata: ["calls": "\(tracker.calls)"]) }
        for channel in tracker.channels { try? await channel.close() }
        unlink(configuration.path)
        logger.info("stopped", metadata: ["socket": "\(configuration.path)"])
    }

    /// Starts a graceful shutdown; `run()` returns when it is done.
    public func shutdown() {
        stop.continuation.finish()
    }
}
