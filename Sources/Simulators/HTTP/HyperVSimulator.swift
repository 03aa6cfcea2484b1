import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The Hyper-V simulator: WMI v2 over WS-Management on HTTP/1.1, path `/wsman`, loopback only.
///
/// ```swift
/// let model = HyperVModel(inventory: try .load(path: "config/hv01.json"))
/// let simulator = HyperVSimulator(model: model, configuration: .init(credentials: .init(user: "administrator", password: "secret")))
/// let port = try await simulator.start(host: "127.0.0.1", port: 0)
/// …
/// await simulator.stop()
/// ```
public final class HyperVSimulator: Sendable {
    /// The simulated host.
    public let model: HyperVModel
    /// The WS-Management endpoint behind HTTP.
    public let service: WSManService
    /// HTTP behaviour (credentials, faults, limits).
    public let configuration: HyperVSimulatorConfiguration
    private let logger: Logger
    private let group: any EventLoopGroup
    private let server = Locked<(any Channel)?>(nil)
    private let connections = Locked<[ObjectIdentifier: any Channel]>([:])

    /// Creates a simulator; nothing listens until `start`.
    public init(model: HyperVModel, configuration: HyperVSimulatorConfiguration = .init(),
                logger: Logger = Logger(label: "virtfed.sim.hyperv"), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.model = model
        self.configuration = configuration
        self.logger = logger
        self.group = group
        service = WSManService(model: model, contextTimeout: configuration.enumerationTimeout, logger: logger)
    }

    /// Binds `host:port` (loopback only; port 0 picks a free one) and serves; returns the bound port.
    public func start(host: String = "127.0.0.1", port: Int) async throws -> Int {
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") else {
            throw SimulatorError("the simulator listens on loopback only, not \(host)")
        }
        guard (0...65535).contains(port) else { throw SimulatorError("port \(port) is out of range") }
        try configuration.faults.validate()
        let service = self.service, configuration = self.configuration, logger = self.logger, connections = self.connections
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                connections.withLock { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in connections.withLock { _ = $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls = configuration.tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(WSManHTTPHandler(service: service, configuration: configuration, logger: logger))
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
