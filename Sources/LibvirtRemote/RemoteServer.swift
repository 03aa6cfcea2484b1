import Logging
import NIOCore
import SocketServer

/// A libvirt remote-protocol server on a Unix socket. The socket appears under its final name
/// only with its mode and group set (bound under a staging name, then renamed); a stale socket
/// is replaced, a live one never. `run()` serves until `shutdown()`, then closes every client
/// and removes the socket file.
public final class RemoteServer: SocketServer {
    private let server: ListeningServer
    private let label: String

    /// Creates a server; nothing listens until `run()`.
    public init(configuration: RemoteServerConfiguration, driver: any RemoteDriver, group: any EventLoopGroup, logger: Logger) {
        label = configuration.label
        let settings = ListeningServer.Configuration(endpoint: configuration.endpoint, maxConnections: configuration.maxClients)
        server = ListeningServer(configuration: settings, group: group, logger: logger) { channel, connection in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ByteToMessageHandler(PacketDecoder(maxLength: configuration.maxMessageBytes)))
            try pipeline.addHandler(RemoteConnectionHandler(
                driver: driver, configuration: configuration, connectionID: connection.id,
                reject: connection.isOverLimit, logger: logger))
        }
    }

    /// Clients connected now.
    public var connections: Int { server.connections }

    /// Returns once the server listens.
    public func listening() async { await server.listening() }

    /// Binds and serves until shut down.
    public func run() async throws {
        try await server.run(label: label, announcing: "listening (libvirt protocol)")
    }

    /// Starts a shutdown; `run()` returns when it is done.
    public func shutdown() {
        server.shutdown()
    }
}
