import BrokerAPI
import BrokerCore
import JSONRPC

/// Broker errors as JSON-RPC error objects, by `WireError`'s table (the one place numbers live).
public enum RPCErrorMapping {
    /// The error object for a broker error: its number, its description, and `data.code`
    /// (+ `data.backend`).
    public static func rpcError(_ error: BackendError) -> RPCError {
        var data: [String: JSONValue] = ["code": .string(error.code.rawValue)]
        if let backend = error.backend { data["backend"] = .string(backend) }
        return RPCError(code: WireError.number(error.code), message: error.description, data: .object(data))
    }

    /// The stable label of an error on the wire, for metrics.
    public static func label(_ error: RPCError) -> String {
        var dataCode: String?
        if case .object(let data)? = error.data, case .string(let code)? = data["code"] { dataCode = code }
        return WireError.label(number: error.code, dataCode: dataCode)
    }
}
