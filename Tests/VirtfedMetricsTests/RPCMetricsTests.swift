import Testing
import VirtfedMetrics

@Suite("The daemon's RPC counters and histograms")
struct RPCMetricsTests {
    @Test("calls, errors by code, and latency buckets by method")
    func counts() throws {
        let registry = MetricsRegistry()
        registry.rpc.record(method: "domains.list", duration: .milliseconds(3), errorCode: nil)
        registry.rpc.record(method: "domains.list", duration: .milliseconds(30), errorCode: nil)
        registry.rpc.record(method: "domain.get", duration: .microseconds(200), errorCode: "not_found")
        let text = try Exposition(registry.scrape([]))
        #expect(text.value("virtfed_rpc_requests_total", ["method": "domains.list"]) == 2)
        #expect(text.value("virtfed_rpc_requests_total", ["method": "domain.get"]) == 1)
        #expect(text.value("virtfed_rpc_errors_total", ["method": "domain.get", "code": "not_found"]) == 1)
        #expect(text.samples("virtfed_rpc_errors_total", ["method": "domains.list"]).isEmpty)
        #expect(text.types["virtfed_rpc_request_duration_seconds"] == "histogram")
        #expect(text.value("virtfed_rpc_request_duration_seconds_count", ["method": "domains.list"]) == 2)
        #expect(text.value("virtfed_rpc_request_duration_seconds_bucket", ["method": "domains.list", "le": "0.005"]) == 1)
        #expect(text.value("virtfed_rpc_request_duration_seconds_bucket", ["method": "domains.list", "le": "+Inf"]) == 2)
        let sum = try #require(text.value("virtfed_rpc_request_duration_seconds_sum", ["method": "domains.list"]))
        #expect(abs(sum - 0.033) < 1e-9)
    }
}
