import Logging
import ServiceLifecycle
import SocketServer
import SystemdSupport

/// Tells systemd (`Type=notify`) when the daemon is ready, once every server listens, and when
/// it begins to stop. Listed last, so a graceful shutdown reaches it first.
struct ReadinessService: Service, CustomStringConvertible {
    var description: String { "ReadinessService" }

    let notifier: SystemdNotifier
    let servers: [any SocketServer]
    let status: String
    let logger: Logger

    func run() async throws {
        for server in servers { await server.listening() }
        guard !Task.isCancelled else { return }
        notify { () throws(SystemdNotifier.Failure) in try notifier.ready(status: status) }
        try? await gracefulShutdown()
        notify { () throws(SystemdNotifier.Failure) in try notifier.stopping() }
    }

    private func notify(_ send: () throws(SystemdNotifier.Failure) -> Void) {
        do {
            try send()
        } catch {
            logger.warning("systemd notification failed", metadata: ["error": "\(error)"])
        }
    }
}
