import Prometheus
import Synchronization

/// The daemon's JSON-RPC counters and latency histograms, by method. Methods are a closed
/// set (the caller folds names outside the API into `unknownMethod`), so the series stay bounded.
public final class RPCMetrics: Sendable {
    /// The label of every method name outside the API.
    public static let unknownMethod = "unknown"

    /// Latency buckets: 100 µs (an inline `ping`) to 10 s (a slow backend's deadline).
    public static let buckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private struct Handles: Sendable {
        let requests: Counter
        let duration: DurationHistogram
    }

    private struct ErrorKey: Hashable {
        let method: String
        let code: String
    }

    private let registry: PrometheusCollectorRegistry
    /// The series of the methods named up front, made once and read without a lock: every
    /// call is counted, so this is on the path of each one.
    private let known: [String: Handles]
    private let made = Mutex<(handles: [String: Handles], errors: [ErrorKey: Counter])>(([:], [:]))

    /// `methods`: the method names whose series are made now (the API's, and `unknownMethod`);
    /// others get theirs when first recorded.
    init(registry: PrometheusCollectorRegistry, methods: some Sequence<String>) {
        self.registry = registry
        var known: [String: Handles] = [:]
        for method in [Self.unknownMethod] + methods { known[method] = Self.handles(method, registry: registry) }
        self.known = known
    }

    /// Counts one answered call: its method, how long it took, and its error code if it failed.
    public func record(method: String, duration: Duration, errorCode: String?) {
        let registry = self.registry
        let handles = known[method] ?? made.withLock { made in
            if let handles = made.handles[method] { return handles }
            let handles = Self.handles(method, registry: registry)
            made.handles[method] = handles
            return handles
        }
        handles.requests.increment()
        handles.duration.record(duration)
        guard let errorCode else { return }
        let key = ErrorKey(method: method, code: errorCode)
        made.withLock { made in
            let counter = made.errors[key] ?? registry.makeCounter(
                descriptor: MetricFamily.rpcErrors.descriptor, labels: [("method", method), ("code", errorCode)])
            made.errors[key] = counter
            return counter
        }.increment()
    }

    private static func handles(_ method: String, registry: PrometheusCollectorRegistry) -> Handles {
        Handles(
            requests: registry.makeCounter(descriptor: MetricFamily.rpcRequests.descriptor, labels: [("method", method)]),
            duration: registry.makeDurationHistogram(descriptor: MetricFamily.rpcDuration.descriptor, labels: [("method", method)],
                                                     buckets: buckets))
    }
}
