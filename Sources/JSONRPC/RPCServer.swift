import Logging
import NIOCore
import SocketServer

/// A JSON-RPC 2.0 server on a Unix socket: newline-delimited messages, calls answered
/// independently and concurrently, explicit limits. `run()` serves until `shutdown()` or
/// task cancellation, then stops accepting, lets calls in flight finish (bounded), closes
/// every connection and removes its socket file.
public final class RPCServer: SocketServer {
    private let server: ListeningServer
    private let label: String

    /// Creates a server; nothing listens until `run()`.
    public init(configuration: RPCServerConfiguration, handler: any RPCHandler, group: any EventLoopGroup, logger: Logger) {
        label = configuration.label
        let tracker = ConnectionTracker()
        server = ListeningServer(
            configuration: .init(endpoint: configuration.endpoint, maxConnections: configuration.maxClients,
                                 drainTimeout: configuration.drainTimeout),
            tracker: tracker, group: group, logger: logger
        ) { channel, connection in
            try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
            var rejection: RPCError?
            if connection.isOverLimit {
                logger.warning("too many clients; refusing one", metadata: ["limit": "\(configuration.maxClients)"])
                rejection = .serverBusy("more than \(configuration.maxClients) clients")
            }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ByteToMessageHandler(NewlineFrameDecoder(maxLength: configuration.maxMessageBytes)))
            try pipeline.addHandler(RPCConnectionHandler(
                handler: handler, configuration: configuration, tracker: tracker, connectionID: connection.id,
                rejection: rejection, logger: logger))
        }
    }

    /// Connections open now.
    public var connections: Int { server.connections }

    /// Returns once the server listens.
    public func listening() async { await server.listening() }

    /// Calls running now.
    public var callsInFlight: Int { server.tracker.calls }

    /// Binds and serves until shut down.
    public func run() async throws {
        try await server.run(label: label)
    }

    /// Starts a graceful shutdown; `run()` returns when it is done.
    public func shutdown() {
        server.shutdown()
    }
}
