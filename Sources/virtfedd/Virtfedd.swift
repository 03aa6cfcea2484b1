import ArgumentParser
import Broker
import BrokerAPI
import BrokerCore
import BuiltinPlugins
import Cluster
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
import StateStore
import SystemdSupport
import VirtfedMetrics

/// `virtfedd`: the long-lived broker. Holds every backend session and serves the federation
/// over JSON-RPC on a read-write and a read-only Unix socket.
@main
struct Virtfedd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "virtfedd",
        abstract: "The virtfed daemon: one broker for every backend, JSON-RPC 2.0 on Unix sockets.",
        discussion: """
            SIGTERM/SIGINT: stop accepting, finish calls in flight, close sessions, exit 0. SIGHUP: reload the configuration.

            Under systemd (Type=notify) it reports READY=1 once its sockets listen, RELOADING=1 while a reload runs \
            and STOPPING=1 when it stops. Socket activation: sockets passed by systemd (LISTEN_FDS) are served \
            by their FileDescriptorName= instead of binding the configured paths: rw (JSON-RPC), ro (read-only \
            JSON-RPC), libvirt-rw and libvirt-ro (libvirt's remote protocol).
            """,
        version: BrokerVersion.current
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
        for warning in configuration.warnings { logger.warning("\(warning)") }
        let environment = ProcessInfo.processInfo.environment
        let activated: ActivatedSockets
        do {
            activated = try ActivatedSockets.take(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let notifier = SystemdNotifier(environment: environment)
        let daemon = configuration.daemon
        // Validated by the loader, which names the line of a refused address.
        let metricsAddress = daemon.metrics.flatMap { try? MetricsListenAddress(parsing: $0) }
        var jobs = JobSettings()
        if let value = configuration.jobTimeoutMilliseconds { jobs.timeout = .milliseconds(value) }
        if let value = configuration.jobRetention { jobs.retention = value }
        var trails: [any AuditTrail] = []
        var journal: (any JobJournal)?
        var flushes: [@Sendable () async -> Void] = []
        var cluster: (node: ClusterNode, storeTask: Task<Void, Never>)?
        let broker: Broker
        if let settings = configuration.cluster {
            // A node of a cluster: the state is the cluster's, in PostgreSQL; the broker opens
            // only the backends this node holds, as the node takes them.
            let store = PostgresStore(location: try PostgresLocation(url: settings.store), password: settings.password, logger: logger)
            let storeTask = Task { await store.run() }
            do {
                try await store.migrate()
            } catch {
                storeTask.cancel()
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
            var held = configuration
            held.backends = []
            broker = try Broker(configuration: held, registry: BuiltinPlugins.registry, logger: logger)
            let trail = PostgresAuditTrail(store, node: settings.node, logger: logger)
            let jobJournal = PostgresJobJournal(store, node: settings.node, retention: jobs.retention, logger: logger)
            trails.append(trail)
            journal = jobJournal
            flushes = [{ await jobJournal.flush() }, { await trail.flush() }]
            cluster = (ClusterNode(settings: settings, configuration: configuration, store: store, broker: broker, logger: logger), storeTask)
            logger.info("cluster node", metadata: ["node": "\(settings.node)", "store": "\(store.location)", "backends": "\(configuration.backends.count)"])
        } else {
            broker = try Broker(configuration: configuration, registry: BuiltinPlugins.registry, logger: logger)
        }
        if cluster == nil, let directory = daemon.stateDirectory {
            // Jobs and the audit trail, kept across restarts.
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            let database = try StateDatabase(path: directory + "/virtfed.db")
            let trail = SQLiteAuditTrail(database, logger: logger)
            let jobJournal = SQLiteJobJournal(database, retention: jobs.retention, logger: logger)
            trails.append(trail)
            journal = jobJournal
            flushes = [{ await jobJournal.flush() }, { await trail.flush() }]
        }
        if let path = daemon.auditLog { trails.append(try AuditLog(path: path)) }
        let audit: (any AuditTrail)? = trails.isEmpty ? nil : trails.count == 1 ? trails[0] : AuditTrails(trails)
        let service = FederationService(broker: broker, audit: audit, jobs: jobs, journal: journal, cluster: cluster?.node, logger: logger)
        cluster?.node.serve(service)  // changes other nodes hand to this one run here
        await service.restoreJobs()
        let metrics = MetricsRegistry(rpcMethods: RPCMethod.allCases.map(\.rawValue))
        let handler = InstrumentedRPCHandler(
            wrapped: try FederationRPCHandler(service: service, plugins: BuiltinPlugins.registry.schemesByPlugin,
                                              eventQueueLimit: configuration.daemon.eventQueueLimit ?? 1000),
            metrics: metrics.rpc)
        let eventLoops = EventLoopThreads.count
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoops)

        // The group of the read-write sockets the daemon binds itself (an activated socket has its unit's).
        func socketGroup() throws -> UInt32? {
            guard let name = daemon.socketGroup else { return nil }
            guard let resolved = UInt32(name) ?? getgrnam(name)?.pointee.gr_gid else {
                FileHandle.standardError.write(Data("error: \(configuration.file): socket_group: no group named '\(name)'\n".utf8))
                throw ExitCode(1)
            }
            return resolved
        }
        func limits(_ path: String, label: String, readOnly: Bool, mode: UInt32, group: UInt32?) -> RPCServerConfiguration {
            var settings = RPCServerConfiguration(path: path, label: label, readOnly: readOnly, mode: mode, group: group)
            if let descriptor = activated.descriptor(named: label) { settings.endpoint = .activated(descriptor: descriptor, name: label) }
            if let value = daemon.maxMessageBytes { settings.maxMessageBytes = value }
            if let value = daemon.maxClients { settings.maxClients = value }
            if let value = daemon.maxInFlight { settings.maxInFlightPerClient = value }
            if let value = daemon.idleTimeoutMilliseconds { settings.idleTimeout = .milliseconds(Int64(value)) }
            return settings
        }
        let readWrite = RPCServer(
            configuration: limits(socket ?? daemon.socket ?? SocketPaths.readWrite, label: "rw", readOnly: false,
                                  mode: daemon.socketMode ?? 0o600, group: activated.descriptor(named: "rw") == nil ? try socketGroup() : nil),
            handler: handler, group: group, logger: logger)
        let readOnly = RPCServer(
            configuration: limits(readonlySocket ?? daemon.readonlySocket ?? SocketPaths.readOnly, label: "ro", readOnly: true,
                                  mode: daemon.readonlySocketMode ?? 0o666, group: nil),
            handler: handler, group: group, logger: logger)

        let clusterNode = cluster?.node
        var serviceList: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: BrokerService(broker: broker)),
            .init(service: SocketServerService(server: readWrite)),
            .init(service: SocketServerService(server: readOnly)),
            .init(service: ReloadService(path: config, loader: loader, notifier: notifier, logger: logger) { configuration in
                if let clusterNode { await clusterNode.update(configuration) } else { _ = try await broker.apply(configuration) }
            }),
        ]
        // After the broker: a graceful shutdown reaches the node first, which hands its backends over.
        if let clusterNode { serviceList.insert(.init(service: ClusterService(node: clusterNode)), at: 1) }
        // libvirt's remote protocol, when configured: virsh, virt-manager and python-libvirt
        // see the federation as one libvirt host.
        let facade = LibvirtFacade(service: service, logger: logger)
        var libvirtServers: [(label: String, server: any SocketServer)] = []
        for (label, path, readOnly) in [("libvirt-rw", libvirtSocket ?? daemon.libvirtSocket, false),
                                        ("libvirt-ro", libvirtReadonlySocket ?? daemon.libvirtReadonlySocket, true)] {
            let descriptor = activated.descriptor(named: label)
            guard path != nil || descriptor != nil else { continue }  // off unless configured or passed by systemd
            var settings = RemoteServerConfiguration(
                path: path ?? "", label: label, readOnly: readOnly,
                mode: readOnly ? daemon.readonlySocketMode ?? 0o666 : daemon.socketMode ?? 0o600,
                group: readOnly || descriptor != nil ? nil : try socketGroup(), maxClients: daemon.maxClients ?? 256)
            if let descriptor { settings.endpoint = .activated(descriptor: descriptor, name: label) }
            libvirtServers.append((label, RemoteServer(configuration: settings, driver: facade, group: group, logger: logger)))
        }
        let served: Set = ["rw", "ro", "libvirt-rw", "libvirt-ro"]
        for socket in activated.sockets where !served.contains(socket.name) {
            logger.warning("ignoring a socket systemd passed under an unknown name",
                           metadata: ["name": "\(socket.name)", "known": "rw, ro, libvirt-rw, libvirt-ro"])
            close(socket.descriptor)
        }
        for (_, server) in libvirtServers { serviceList.append(.init(service: SocketServerService(server: server))) }
        let sockets: [(label: String, server: any SocketServer)] = [("rw", readWrite), ("ro", readOnly)] + libvirtServers
        var servers = sockets.map(\.server)
        if let metricsAddress {
            // A scrape reads the broker's cache (never a backend) and the sockets' client counts.
            let scraper = MetricsScraper(registry: metrics) {
                let jobs = await service.jobCounts()
                return (await service.inventory(), Dictionary(uniqueKeysWithValues: sockets.map { ($0.label, $0.server.connections) }),
                        JobCounts(running: jobs.running, failed: jobs.failed), clusterNode?.health())
            }
            let server = MetricsHTTPServer(address: metricsAddress, group: group, logger: logger) { await scraper.scrape() }
            serviceList.append(.init(service: SocketServerService(server: server)))
            servers.append(server)
        }
        if let notifier {
            // Last in the list: a graceful shutdown reaches it first, so STOPPING=1 goes out at once.
            serviceList.append(.init(service: ReadinessService(
                notifier: notifier, servers: servers, status: "serving \(configuration.backends.count) backends", logger: logger)))
        }

        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: serviceList,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        logger.info("starting", metadata: ["config": "\(config)", "backends": "\(configuration.backends.count)",
                                           "event_loops": "\(eventLoops)", "activated_sockets": "\(activated.sockets.count)"])
        try await services.run()
        for flush in flushes { await flush() }  // what the state database has queued, before exit
        cluster?.storeTask.cancel()
        try? await group.shutdownGracefully()
        logger.info("stopped")
    }
}
