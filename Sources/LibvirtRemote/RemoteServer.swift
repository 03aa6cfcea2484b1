import JSONRPC
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A libvirt remote-protocol server on a Unix socket. The socket appears under its final name
/// only with its mode and group set (bound under a staging name, then renamed); a stale socket
/// is replaced, a live one never. `run()` serves until `shutdown()`, then closes every client
/// and removes the socket file.
public final class RemoteServer: Sendable {
    private let configuration: RemoteServerConfiguration
    private let driver: any RemoteDriver
    private let group: any EventLoopGroup
    private let logger: Logger
    private let clients = RPCConnectionTracker()
    private let stop = AsyncStream<Void>.makeStream()

    /// Creates a server; nothing listens until `run()`.
    public init(configuration: RemoteServerConfiguration, driver: any RemoteDriver, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.driver = driver
        self.group = group
        self.logger = logger
    }

    /// Clients connected now.
    public var connections: Int { clients.connections }

    /// Binds and serves until shut down.
    public func run() async throws {
        let configuration = self.configuration
        let driver = self.driver
        let logger = self.logger
        let clients = self.clients
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let (id, count) = clients.add(channel)
                    channel.closeFuture.whenComplete { _ in clients.remove(id) }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(PacketDecoder(maxLength: configuration.maxMessageBytes)))
                    try pipeline.addHandler(RemoteConnectionHandler(
                        driver: driver, configuration: configuration, connectionID: id,
                        reject: count > configuration.maxClients, logger: logger))
                }
            }
        let server = try await UnixSocketFile.listen(bootstrap, path: configuration.path, mode: configuration.mode, group: configuration.group)
        logger.info("listening (libvirt protocol)", metadata: ["socket": "\(configuration.path)", "listener": "\(configuration.label)"])

        await withTaskCancellationHandler {
            for await _ in stop.stream {}
        } onCancel: {
            stop.continuation.finish()
        }
        try? await server.close()
        for channel in clients.channels { try? await channel.close() }
        unlink(configuration.path)
        logger.info("stopped", metadata: ["socket": "\(configuration.path)"])
    }

    /// Starts a shutdown; `run()` returns when it is done.
    public func shutdown() {
        stop.continuation.finish()
    }
}
