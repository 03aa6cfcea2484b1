import ServiceLifecycle
import VirtfedMetrics

/// The `/metrics` endpoint; a graceful shutdown stops accepting.
struct MetricsService: Service, CustomStringConvertible {
    var description: String { "MetricsService" }

    let server: MetricsHTTPServer

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            server.shutdown()
        }
    }
}
