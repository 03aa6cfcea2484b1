import Broker
import BrokerCore
import Cluster
import Logging
import ServiceLifecycle
import SocketServer
import SystemdSupport
import UnixSignals

/// The broker's sessions: opened at start, kept healthy while running, closed last.
struct BrokerService: Service, CustomStringConvertible {
    var description: String { "BrokerService" }

    let broker: Broker

    func run() async throws {
        await broker.start()
        await cancelWhenGracefulShutdown { await broker.maintain() }
        await broker.shutdown()
    }
}

/// A node of a cluster: its rounds until a graceful shutdown, then it leaves (hands its
/// backends over) before the broker closes what is left.
struct ClusterService: Service, CustomStringConvertible {
    var description: String { "ClusterService(\(node.settings.node))" }

    let node: ClusterNode

    func run() async throws {
        await cancelWhenGracefulShutdown { await node.run() }
    }
}

/// One socket server (JSON-RPC, libvirt protocol or `/metrics`); a graceful shutdown stops accepting,
/// drains what is in flight and closes its clients.
struct SocketServerService: Service, CustomStringConvertible {
    var description: String { "SocketServerService" }

    let server: any SocketServer

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            server.shutdown()
        }
    }
}

/// SIGHUP: reload the configuration. Backends added, removed or changed are applied and
/// the unchanged ones keep their sessions; a broken file is refused and the old one stays.
struct ReloadService: Service, CustomStringConvertible {
    var description: String { "ReloadService(\(path))" }

    let path: String
    let loader: ConfigurationLoader
    /// Told `RELOADING=1` when a reload begins and `READY=1` when it ends, under systemd.
    let notifier: SystemdNotifier?
    let logger: Logger
    /// Applies a configuration that loaded (the broker's backends, or a cluster node's).
    let apply: @Sendable (BrokerConfiguration) async throws -> Void

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            try? notifier?.reloading()
            var status = "reload refused; serving the previous configuration"
            do {
                let configuration = try loader.load(file: path)
                for warning in configuration.warnings { logger.warning("\(warning)") }
                try await apply(configuration)
                status = "serving \(configuration.backends.count) backends"
            } catch let invalid as InvalidConfiguration {
                logger.error("reload refused; keeping the running configuration", metadata: ["problems": "\(invalid.problems.map(\.description))"])
            } catch {
                logger.error("reload refused; keeping the running configuration", metadata: ["error": "\(error)"])
            }
            try? notifier?.ready(status: status)
        }
    }
}

private func cancelWhenGracefulShutdown(_ body: @escaping @Sendable () async -> Void) async {
    try? await cancelWhenGracefulShutdown { () async throws in await body() }
}
