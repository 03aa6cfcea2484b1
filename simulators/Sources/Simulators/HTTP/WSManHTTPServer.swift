import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// HTTP/1.1 (or https) on loopback, path `/wsman`, in front of any `WSManEndpoint`: the
/// authentication, fault injection and connection bookkeeping shared by the Hyper-V and SCVMM
/// simulators.
public final class WSManHTTPServer: Sendable {
    /// What answers the requests.
    public let endpoint: any WSManEndpoint
    /// HTTP behaviour (credentials, faults, limits, TLS).
    public let configuration: WSManServerConfiguration
    private let logger: Logger
    private let group: any EventLoopGroup
    private let server = Locked<(any Channel)?>(nil)
    private let connections = Locked<[ObjectIdentifier: any Channel]>([:])

    /// Creates a server; nothing listens until `start`.
    public init(endpoint: any WSManEndpoint, configuration: WSManServerConfiguration, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.logger = logger
        self.group = group
    }

    /// Binds `host:port` (loopback only; port 0 picks a free one) and serves; returns the bound port.
    public func start(host: String = "127.0.0.1", port: Int) async throws -> Int {
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") else {
            throw SimulatorError("the simulator listens on loopback only, not \(host)")
        }
        guard (0...65535).contains(port) else { throw SimulatorError("port \(port) is out of range") }
        try configuration.faults.validate()
        let endpoint = self.endpoint, configuration = self.configuration, logger = self.logger, connections = self.connections
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                connections.withLock { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in connections.withLock { _ = $0.removeValue(forKey: id) } }
                // The client certificate this connection's handshake carried, judged before the
                // handshake completes (so before any request is read).
                let clientCertificate = Locked<ClientCertificateOutcome?>(nil)
                return channel.eventLoop.makeCompletedFuture {
                    if let tls = configuration.tls {
                        if configuration.listener.allowCertificate, let authenticator = configuration.certificateAuthenticator {
                            // Every certificate completes the handshake: a refused one is a 401 to
                            // the request that names the https/mutual profile, as Windows answers.
                            let handler = NIOSSLServerHandler(context: tls, customVerificationCallback: { chain, promise in
                                let der = chain.compactMap { try? $0.toDERBytes() }
                                Task {
                                    let outcome = await authenticator.check(chain: der)
                                    clientCertificate.withLock { $0 = outcome }
                                    promise.succeed(.certificateVerified)
                                }
                            })
                            try channel.pipeline.syncOperations.addHandler(handler)
                        } else {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                        }
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(WSManHTTPHandler(endpoint: endpoint, configuration: configuration, logger: logger,
                                                                                    clientCertificate: clientCertificate))
                }
            }
            .bind(host: host == "localhost" ? "127.0.0.1" : host, port: port)
            .get()
        server.withLock { $0 = channel }
        let bound = channel.localAddress?.port ?? port
        logger.info("listening", metadata: ["address": "\(host):\(bound)"])
        return bound
    }

    /// Stops listening and closes every connection (including hung ones).
    public func stop() async {
        let channel = server.withLock { current -> (any Channel)? in
            defer { current = nil }
            return current
        }
        try? await channel?.close()
        let open = connections.withLock { current -> [any Channel] in
            defer { current.removeAll() }
            return Array(current.values)
        }
        for connection in open { try? await connection.close() }
    }

    /// Connections open now.
    public var openConnections: Int { connections.withLock { $0.count } }
}
