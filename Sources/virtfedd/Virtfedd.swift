import ArgumentParser
import Broker
import BrokerAPI
import BrokerCore
import BuiltinPlugins
import Federation
import Foundation
import JSONRPC
import JSONRPCDoor
import LibvirtDoor
import LibvirtRemote
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SocketServer
import VirtfedMetrics

/// `virtfedd`: the long-lived broker. Holds every backend session and serves the federation
/// over JSON-RPC on a read-write and a read-only Unix socket.
@main
struct Virtfedd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "virtfedd",
        abstract: "The virtfed daemon: one broker for every backend, JSON-RPC 2.0 on Unix sockets.",
        discussion: "SIGTERM/SIGINT: stop accepting, finish calls in flight, close sessions, exit 0. SIGHUP: reload the configuration."
    )

    @Option(help: ArgumentHelp("The configuration file.", valueName: "file"))
    var config: String = "/etc/virtfed/virtfed.toml"

    @Option(help: ArgumentHelp("The read-write socket (overrides [daemon] socket).", valueName: "path"))
    var socket: String?

    @Option(name: .customLong("readonly-socket"), help: ArgumentHelp("The read-only socket (overrides [daemon] readonly_socket).", valueName: "path"))
    var readonlySocket: String?

    @Option(name: .customLong("libvirt-socket"), help: ArgumentHelp("The libvirt-protocol socket (overrides [daemon] libvirt_socket).", valueName: "path"))
    var libvirtSocket: String?

    @Option(name: .customLong("libvirt-readonly-socket"), help: ArgumentHelp("The read-only libvirt-protocol socket (overrides [daemon] libvirt_readonly_socket).", valueName: "path"))
    var libvirtReadonlySocket: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "virtfedd")
        let loader = ConfigurationLoader(registry: BuiltinPlugins.registry)
        let configuration: BrokerConfiguration
        do {
            configuration = try loader.load(file: config)
        } catch {
            for problem in error.problems { FileHandle.standardError.write(Data("error: \(problem)\n".utf8)) }
            throw ExitCode(1)
        }
        let daemon = configuration.daemon
        // Validated by the loader, which names the line of a refused address.
        let metricsAddress = daemon.metrics.flatMap { try? MetricsListenAddress(parsing: $0) }
        let broker = try Broker(configuration: configuration, registry: BuiltinPlugins.registry, logger: logger)
        let audit = try daemon.auditLog.map { (path) throws(BackendError) in try AuditLog(path: path) }
        let service = FederationService(broker: broker, audit: audit, logger: logger)
        let metrics = MetricsRegistry(rpcMethods: RPCMethod.allCases.map(\.rawValue))
        let handler = InstrumentedRPCHandler(
            wrapped: try FederationRPCHandler(service: service, plugins: BuiltinPlugins.registry.schemesByPlugin,
                                              eventQueueLimit: configuration.daemon.eventQueueLimit ?? 1000),
            metrics: metrics.rpc)
        let eventLoops = EventLoopThreads.count
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoops)

        var group_id: UInt32?
        if let name = daemon.socketGroup {
            guard let resolved = UInt32(name) ?? getgrnam(name)?.pointee.gr_gid else {
                throw ValidationError("unknown socket_group '\(name)'")
            }
            group_id = resolved
        }
        func limits(_ path: String, label: String, readOnly: Bool, mode: UInt32, group: UInt32?) -> RPCServerConfiguration {
            var settings = RPCServerConfiguration(path: path, label: label, readOnly: readOnly, mode: mode, group: group)
            if let value = daemon.maxMessageBytes { settings.maxMessageBytes = value }
            if let value = daemon.maxClients { settings.maxClients = value }
            if let value = daemon.maxInFlight { settings.maxInFlightPerClient = value }
            if let value = daemon.idleTimeoutMilliseconds { settings.idleTimeout = .milliseconds(Int64(value)) }
            return settings
        }
        let readWrite = RPCServer(
            configuration: limits(socket ?? daemon.socket ?? SocketPaths.readWrite, label: "rw", readOnly: false,
                                  mode: daemon.socketMode ?? 0o600, group: group_id),
            handler: handler, group: group, logger: logger)
        let readOnly = RPCServer(
            configuration: limits(readonlySocket ?? daemon.readonlySocket ?? SocketPaths.readOnly, label: "ro", readOnly: true,
                                  mode: daemon.readonlySocketMode ?? 0o666, group: nil),
            handler: handler, group: group, logger: logger)

        var serviceList: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: BrokerService(broker: broker)),
            .init(service: SocketServerService(server: readWrite)),
            .init(service: SocketServerService(server: readOnly)),
            .init(service: ReloadService(path: config, broker: broker, loader: loader, logger: logger)),
        ]
        // libvirt's remote protocol, when configured: virsh, virt-manager and python-libvirt
        // see the federation as one libvirt host.
        let facade = LibvirtFacade(service: service, logger: logger)
        var libvirtServers: [(label: String, server: any SocketServer)] = []
        if let path = libvirtSocket ?? daemon.libvirtSocket {
            let settings = RemoteServerConfiguration(path: path, label: "libvirt-rw", readOnly: false, mode: daemon.socketMode ?? 0o600,
                                                     group: group_id, maxClients: daemon.maxClients ?? 256)
            libvirtServers.append(("libvirt-rw", RemoteServer(configuration: settings, driver: facade, group: group, logger: logger)))
        }
        if let path = libvirtReadonlySocket ?? daemon.libvirtReadonlySocket {
            let settings = RemoteServerConfiguration(path: path, label: "libvirt-ro", readOnly: true, mode: daemon.readonlySocketMode ?? 0o666,
                                                     group: nil, maxClients: daemon.maxClients ?? 256)
            libvirtServers.append(("libvirt-ro", RemoteServer(configuration: settings, driver: facade, group: group, logger: logger)))
        }
        for (_, server) in libvirtServers { serviceList.append(.init(service: SocketServerService(server: server))) }
        if let metricsAddress {
            // A scrape reads the broker's cache (never a backend) and the sockets' client counts.
            let sockets: [(label: String, server: any SocketServer)] = [("rw", readWrite), ("ro", readOnly)] + libvirtServers
            let scraper = MetricsScraper(registry: metrics) {
                (await service.inventory(), Dictionary(uniqueKeysWithValues: sockets.map { ($0.label, $0.server.connections) }))
            }
            let server = MetricsHTTPServer(address: metricsAddress, group: group, logger: logger) { await scraper.scrape() }
            serviceList.append(.init(service: SocketServerService(server: server)))
        }

        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: serviceList,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        logger.info("starting", metadata: ["config": "\(config)", "backends": "\(configuration.backends.count)",
                                           "event_loops": "\(eventLoops)"])
        try await services.run()
        try? await group.shutdownGracefully()
        logger.info("stopped")
    }
}
