import BrokerCore

/// Broker errors on JSON-RPC, both directions, in one table: the daemon sends code -32000…
/// -32010 with `data.code` = the stable code (and `data.backend` when one is involved); the
/// CLI reads the stable code back, from `data.code` or — for the specification's own errors,
/// which carry none — from the number. (-32000 `busy` is also what the JSON-RPC server sends
/// a client over its limit, before any method runs.)
public enum WireError {
    /// The JSON-RPC error number of a stable code.
    public static func number(_ code: ErrorCode) -> Int {
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
        case .busy: -32000
        case .outcomeUnknown: -32011
        case .alreadyExists: -32012
        }
    }

    /// The specification's own errors (they carry no `data.code`), by number.
    private static let specification: [Int: (label: String, code: ErrorCode)] = [
        -32700: ("parse_error", .invalidArgument),
        -32600: ("invalid_request", .invalidArgument),
        -32601: ("method_not_found", .unsupported),
        -32602: ("invalid_params", .invalidArgument),
        -32603: ("internal_error", .internal),
    ]

    /// The stable code of an error as received: `data.code` when it names one, else the
    /// code the number stands for.
    public static func code(number: Int, dataCode: String?) -> ErrorCode {
        if let dataCode, let code = ErrorCode(rawValue: dataCode) { return code }
        if let known = specification[number] { return known.code }
        return ErrorCode.allCases.first { self.number($0) == number } ?? .internal
    }

    /// A bounded label for an error (metrics): `data.code` for broker errors, the
    /// specification's names for its own.
    public static func label(number: Int, dataCode: String?) -> String {
        if let dataCode { return dataCode }
        return specification[number]?.label ?? "other"
    }
}
