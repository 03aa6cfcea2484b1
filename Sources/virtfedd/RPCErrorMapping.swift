import BrokerCore
import JSONRPC

/// Broker errors on the wire: the one place stable codes become JSON-RPC errors.
/// Codes -32001…-32010, `error.data.code` = the stable code, `error.data.backend` when one is involved.
enum RPCErrorMapping {
    static func rpcError(_ error: BackendError) -> RPCError {
        var data: [String: JSONValue] = ["code": .string(error.code.rawValue)]
        if let backend = error.backend { data["backend"] = .string(backend) }
        return RPCError(code: number(error.code), message: error.description, data: .object(data))
    }

    static func number(_ code: ErrorCode) -> Int {
        switch code {
        case .notFound: -32001
        case .ambiguous: -32002
        case .unsupported: -32003
        case .invalidArgument: -32004
        case .invalidState: -32005
        case .backendUnavailable: -32006
        case .authFailed: -32007
        case .timeout: -32008
        case .permissionDenied: -32009
        case .internal: -32010
        }
    }

    /// The stable code of an error on the wire, for metrics labels: `data.code` for broker
    /// errors, the specification's names for its own codes.
    static func label(_ error: RPCError) -> String {
        if case .object(let data)? = error.data, case .string(let code)? = data["code"] { return code }
        switch error.code {
        case -32700: return "parse_error"
        case -32600: return "invalid_request"
        case -32601: return "method_not_found"
        case -32602: return "invalid_params"
        case -32603: return "internal_error"
        default: return "other"
        }
    }
}
