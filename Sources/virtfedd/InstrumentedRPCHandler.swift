import BrokerAPI
import JSONRPC
import JSONRPCDoor
import VirtfedMetrics

/// Counts and times every call another handler answers: `virtfed_rpc_requests_total`,
/// `virtfed_rpc_errors_total` and `virtfed_rpc_request_duration_seconds`, by method. The one
/// place RPC calls are instrumented; method names outside the API share the label `unknown`.
struct InstrumentedRPCHandler<Wrapped: RPCHandler>: RPCHandler {
    let wrapped: Wrapped
    let metrics: RPCMetrics

    func handleInline(_ request: RPCRequest, context: RPCContext) -> Result<any Encodable & Sendable, RPCError>? {
        let start = ContinuousClock.now
        guard let outcome = wrapped.handleInline(request, context: context) else { return nil }
        let errorCode: String? = if case .failure(let error) = outcome { RPCErrorMapping.label(error) } else { nil }
        metrics.record(method: Self.label(request.method), duration: ContinuousClock.now - start, errorCode: errorCode)
        return outcome
    }

    func handle(_ request: RPCRequest, context: RPCContext) async throws(RPCError) -> any Encodable & Sendable {
        let start = ContinuousClock.now
        do {
            let result = try await wrapped.handle(request, context: context)
            metrics.record(method: Self.label(request.method), duration: ContinuousClock.now - start, errorCode: nil)
            return result
        } catch {
            metrics.record(method: Self.label(request.method), duration: ContinuousClock.now - start, errorCode: RPCErrorMapping.label(error))
            throw error
        }
    }

    /// The method's label: its name when it is one of the API's, else `unknown` (bounded series).
    static func label(_ method: String) -> String {
        RPCMethod(rawValue: method) == nil ? RPCMetrics.unknownMethod : method
    }
}
