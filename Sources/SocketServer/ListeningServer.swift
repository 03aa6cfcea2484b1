import Logging
import NIOCore
import NIOPosix

/// The skeleton every server of the daemon shares, whatever its protocol: binds its endpoint,
/// tracks connections and tells the protocol's pipeline which one is over the limit (the
/// protocol refuses it its own way), serves until `shutdown()` or task cancellation, then stops
/// accepting, lets calls in flight finish (bounded by the drain timeout), closes every client
/// and removes its socket file.
public final class ListeningServer: Sendable {
    /// Where a server listens and what it holds.
    public struct Configuration: Sendable {
        /// The socket file or TCP address.
        public var endpoint: ListenEndpoint
        /// Connections the kernel queues before they are accepted.
        public var backlog: Int32
        /// Connections at once; past it a new one is marked `isOverLimit`.
        public var maxConnections: Int
        /// How long a shutdown waits for the calls in flight that the tracker counts.
        public var drainTimeout: TimeAmount

        /// Creates a configuration.
        public init(endpoint: ListenEndpoint, backlog: Int32 = 256, maxConnections: Int, drainTimeout: TimeAmount = .zero) {
            self.endpoint = endpoint
            self.backlog = backlog
            self.maxConnections = maxConnections
            self.drainTimeout = drainTimeout
        }
    }

    /// A connection just accepted, as the tracker sees it.
    public struct Connection: Sendable {
        /// A number unique to the connection within this server.
        public var id: Int
        /// Whether it takes the server past `maxConnections`.
        public var isOverLimit: Bool
    }

    /// Sets up an accepted channel's pipeline, on its event loop, once it is tracked.
    public typealias Pipeline = @Sendable (_ channel: any Channel, _ connection: Connection) throws -> Void

    /// The connections, and the calls in flight the protocol reports.
    public let tracker: ConnectionTracker
    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let pipeline: Pipeline
    private let stop = AsyncStream<Void>.makeStream()
    private let bound = AsyncStream<Void>.makeStream()

    /// Creates a server; nothing listens until `run`.
    public init(configuration: Configuration, tracker: ConnectionTracker = ConnectionTracker(), group: any EventLoopGroup,
                logger: Logger, pipeline: @escaping Pipeline) {
        self.configuration = configuration
        self.tracker = tracker
        self.group = group
        self.logger = logger
        self.pipeline = pipeline
    }

    /// Connections open now.
    public var connections: Int { tracker.connections }

    /// Binds, hands `listening` the bound server channel, and serves until shut down.
    public func run(listening: (_ server: any Channel) -> Void) async throws {
        let tracker = self.tracker, pipeline = self.pipeline, maxConnections = configuration.maxConnections
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let (id, count) = tracker.add(channel)
                    channel.closeFuture.whenComplete { _ in tracker.remove(id) }
                    try pipeline(channel, Connection(id: id, isOverLimit: count > maxConnections))
                }
            }
        let server = try await bind(bootstrap)
        listening(server)
        bound.continuation.finish()

        await withTaskCancellationHandler {
            for await _ in stop.stream {}
        } onCancel: {
            stop.continuation.finish()
        }
        await drain(server)
    }

    /// Serves as `run(listening:)` does, logging `message` with the socket (its path, or the
    /// TCP address) and the server's `label` (`listener`) once listening, and `stopped` with
    /// the socket once done.
    public func run(label: String, announcing message: Logger.Message = "listening") async throws {
        let socket: String
        switch configuration.endpoint {
        case .unixSocket(let file): socket = file.path
        case .tcp(let host, let port): socket = "\(host):\(port)"
        case .activated(let descriptor, let name): socket = "\(name) (descriptor \(descriptor), from systemd)"
        }
        try await run { _ in logger.info(message, metadata: ["socket": "\(socket)", "listener": "\(label)"]) }
        logger.info("stopped", metadata: ["socket": "\(socket)"])
    }

    /// Returns once `run` has bound its endpoint (or when the waiting task is cancelled).
    /// One waiter at a time.
    public func listening() async {
        for await _ in bound.stream {}
    }

    /// Starts a graceful shutdown; `run` returns when it is done.
    public func shutdown() {
        stop.continuation.finish()
    }

    private func bind(_ bootstrap: ServerBootstrap) async throws -> any Channel {
        switch configuration.endpoint {
        case .unixSocket(let file):
            return try await file.listen(bootstrap)
        case .tcp(let host, let port):
            return try await bootstrap.serverChannelOption(.socketOption(.so_reuseaddr), value: 1).bind(host: host, port: port).get()
        case .activated(let descriptor, _):
            return try await bootstrap.withBoundSocket(descriptor).get()
        }
    }

    /// Graceful: no new clients, calls in flight finish (bounded), then everyone goes.
    private func drain(_ server: any Channel) async {
        try? await server.close()
        let deadline = NIODeadline.now() + configuration.drainTimeout
        while tracker.calls > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if tracker.calls > 0 { logger.warning("shutdown: abandoning calls in flight", metadata: ["calls": "\(tracker.calls)"]) }
        for channel in tracker.channels { try? await channel.close() }
        if case .unixSocket(let file) = configuration.endpoint { file.remove() }  // an activated socket's file is its unit's
    }
}
