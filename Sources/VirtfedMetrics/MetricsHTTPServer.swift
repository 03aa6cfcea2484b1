import Broker
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The `/metrics` endpoint: HTTP/1.1 on a loopback address, one scrape rendered per request
/// by `render` (off the event loop). `run()` serves until `shutdown()` or cancellation.
public final class MetricsHTTPServer: Sendable {
    /// Bounds on what clients may hold.
    public struct Limits: Sendable {
        /// Connections at once; more are closed on arrival.
        public var maxConnections = 16
        /// Request body bytes accepted (a scrape has none).
        public var maxBodyBytes = 0
        /// A connection with no traffic for this long is closed.
        public var idleTimeout: TimeAmount = .seconds(30)

        /// The defaults.
        public init() {}
    }

    /// The server refused a connection over `maxConnections`.
    struct TooManyConnections: Error {}

    private let address: MetricsListenAddress
    private let limits: Limits
    private let render: @Sendable () async -> [UInt8]
    private let group: any EventLoopGroup
    private let logger: Logger
    private let openConnections = Mutex(0)
    private let stop: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)

    /// Creates a server; nothing listens until `run()`.
    public init(address: MetricsListenAddress, limits: Limits = Limits(), group: any EventLoopGroup, logger: Logger,
                render: @escaping @Sendable () async -> [UInt8]) {
        self.address = address
        self.limits = limits
        self.render = render
        self.group = group
        self.logger = logger
        stop = AsyncStream<Void>.makeStream()
    }

    /// Connections open now.
    public var connections: Int { openConnections.withLock { $0 } }

    /// Binds, logs the bound address (`metrics listening`, with the real port when 0 was
    /// asked), and serves until shut down.
    public func run() async throws {
        let limits = self.limits, render = self.render, logger = self.logger
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let count = self.openConnections.withLock { count in
                        count += 1
                        return count
                    }
                    channel.closeFuture.whenComplete { _ in self.openConnections.withLock { $0 -= 1 } }
                    guard count <= limits.maxConnections else {
                        logger.warning("metrics: too many connections; refusing one", metadata: ["limit": "\(limits.maxConnections)"])
                        throw TooManyConnections()
                    }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(allTimeout: limits.idleTimeout))
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(MetricsHTTPHandler(render: render, maxBodyBytes: limits.maxBodyBytes))
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
        let port = server.localAddress?.port ?? address.port
        var bound = address
        bound.port = port
        logger.info("metrics listening", metadata: ["address": "\(bound)", "url": "http://\(bound)/metrics"])

        await withTaskCancellationHandler {
            for await _ in stop.stream {}
        } onCancel: {
            stop.continuation.finish()
        }
        try? await server.close()
        logger.info("metrics stopped", metadata: ["address": "\(bound)"])
    }

    /// Stops accepting; `run()` returns once the listener is closed.
    public func shutdown() {
        stop.continuation.finish()
    }
}
