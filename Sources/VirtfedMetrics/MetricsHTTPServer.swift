import Broker
import Logging
import NIOCore
import NIOHTTP1
import SocketServer

/// The `/metrics` endpoint: HTTP/1.1 on a loopback address, one scrape rendered per request
/// by `render` (off the event loop). `run()` serves until `shutdown()` or cancellation.
public final class MetricsHTTPServer: SocketServer {
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
    private let logger: Logger
    private let server: ListeningServer

    /// Creates a server; nothing listens until `run()`.
    public init(address: MetricsListenAddress, limits: Limits = Limits(), group: any EventLoopGroup, logger: Logger,
                render: @escaping @Sendable () async -> [UInt8]) {
        self.address = address
        self.logger = logger
        let endpoint = ListenEndpoint.tcp(host: address.host, port: address.port)
        server = ListeningServer(configuration: .init(endpoint: endpoint, backlog: 64, maxConnections: limits.maxConnections),
                                 group: group, logger: logger) { channel, connection in
            guard !connection.isOverLimit else {
                logger.warning("metrics: too many connections; refusing one", metadata: ["limit": "\(limits.maxConnections)"])
                throw TooManyConnections()
            }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(IdleStateHandler(allTimeout: limits.idleTimeout))
            try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
            try pipeline.addHandler(MetricsHTTPHandler(render: render, maxBodyBytes: limits.maxBodyBytes))
        }
    }

    /// Connections open now.
    public var connections: Int { server.connections }

    /// Returns once the server listens.
    public func listening() async { await server.listening() }

    /// Binds, logs the bound address (`metrics listening`, with the real port when 0 was
    /// asked), and serves until shut down.
    public func run() async throws {
        var bound = address
        try await server.run { listener in
            bound.port = listener.localAddress?.port ?? address.port
            logger.info("metrics listening", metadata: ["address": "\(bound)", "url": "http://\(bound)/metrics"])
        }
        logger.info("metrics stopped", metadata: ["address": "\(bound)"])
    }

    /// Stops accepting and closes every client; `run()` returns once they are closed.
    public func shutdown() {
        server.shutdown()
    }
}
