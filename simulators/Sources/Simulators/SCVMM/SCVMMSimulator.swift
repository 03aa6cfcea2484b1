import Logging
import NIOCore
import NIOPosix

/// The SCVMM simulator: a VMM management server reached over the WinRM cmd shell (http or https,
/// `/wsman`, loopback only; Negotiate, Kerberos and NTLM with message encryption as a default
/// Windows listener takes them, Basic only when allowed) that runs the VMM cmdlets the plugin sends.
///
/// ```swift
/// let model = SCVMMModel(inventory: try .load(path: "config/scvmm-demo.json"))
/// let simulator = SCVMMSimulator(model: model, configuration: .init(credentials: .init(user: "administrator", password: "secret")))
/// let port = try await simulator.start(host: "127.0.0.1", port: 0)
/// …
/// await simulator.stop()
/// ```
public final class SCVMMSimulator: Sendable {
    /// The simulated server's state.
    public let model: SCVMMModel
    /// The WinRM shell endpoint behind HTTP.
    public let shell: WinRMShellService
    private let server: WSManHTTPServer

    /// Creates a simulator; nothing listens until `start`.
    /// `moduleProgress`: scripts that import a module also write the "Preparing modules for first
    /// use." progress record to stderr, as real servers often do.
    public init(model: SCVMMModel, configuration: WSManServerConfiguration = .init(), shellConfiguration: WinRMShellConfiguration = .init(),
                moduleProgress: Bool = false, logger: Logger = Logger(label: "virtfed.sim.scvmm"),
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.model = model
        shell = WinRMShellService(machineName: model.serverName, runner: SCVMMShellRunner(model: model, moduleProgress: moduleProgress),
                                  configuration: shellConfiguration,
                                  logger: logger)
        server = WSManHTTPServer(endpoint: shell, configuration: configuration, logger: logger, group: group)
    }

    /// Binds `host:port` (loopback only; port 0 picks a free one) and serves; returns the bound port.
    public func start(host: String = "127.0.0.1", port: Int) async throws -> Int {
        try await server.start(host: host, port: port)
    }

    /// Stops listening and closes every connection.
    public func stop() async { await server.stop() }

    /// Connections open now.
    public var openConnections: Int { server.openConnections }
}
