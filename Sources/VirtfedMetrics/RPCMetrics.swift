import Prometheus
import Synchronization

/// The daemon's JSON-RPC counters and latency histograms, by method. Methods are a closed
/// set (the caller folds unknown names into one label), so the series stay bounded.
public final class RPCMetrics: Sendable {
    /// Latency buckets: 100 µs (an inline `ping`) to 10 s (a slow backend's deadline).
    public static let buckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private struct Handles {
        var requests: Counter
        var duration: DurationHistogram
        var errors: [String: Counter] = [:]
    }

    private let registry: PrometheusCollectorRegistry
    private let handles = Mutex<[String: Handles]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Counts one answered call: its method, how long it took, and its error code if it failed.
    public func record(method: String, duration: Duration, errorCode: String?) {
        let registry = self.registry
        let (requests, histogram, errors) = handles.withLock { handles in
            var entry = handles[method] ?? Handles(
                requests: registry.makeCounter(descriptor: MetricFamily.rpcRequests.descriptor, labels: [("method", method)]),
                duration: registry.makeDurationHistogram(descriptor: MetricFamily.rpcDuration.descriptor, labels: [("method", method)],
                                                         buckets: Self.buckets))
            var errors: Counter?
            if let errorCode {
                let counter = entry.errors[errorCode] ?? registry.makeCounter(
                    descriptor: MetricFamily.rpcErrors.descriptor, labels: [("method", method), ("code", errorCode)])
                entry.errors[errorCode] = counter
                errors = counter
            }
            handles[method] = entry
            return (entry.requests, entry.duration, errors)
        }
        requests.increment()
        histogram.record(duration)
        errors?.increment()
    }
}
