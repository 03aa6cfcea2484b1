import Logging
import NIOCore
import NIOPosix

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
    private let server: WSManHTTPServer

    /// Creates a simulator; nothing listens until `start`.
    public init(model: HyperVModel, configuration: HyperVSimulatorConfiguration = .init(),
                logger: Logger = Logger(label: "virtfed.sim.hyperv"), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.model = model
        self.configuration = configuration
        service = WSManService(model: model, contextTimeout: configuration.enumerationTimeout, limits: configuration.listener, logger: logger)
        server = WSManHTTPServer(endpoint: service, configuration: configuration, logger: logger, group: group)
    }

    /// Binds `host:port` (loopback only; port 0 picks a free one) and serves; returns the bound port.
    public func start(host: String = "127.0.0.1", port: Int) async throws -> Int {
        try await server.start(host: host, port: port)
    }

    /// Stops listening and closes every connection (including hung ones).
    public func stop() async { await server.stop() }

    /// Connections open now.
    public var openConnections: Int { server.openConnections }
}
