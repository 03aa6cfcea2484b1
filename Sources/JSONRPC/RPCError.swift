/// A JSON-RPC error object: the code, the message, and optional data.
public struct RPCError: Error, Sendable, Equatable, Encodable {
    /// The numeric code (the specification's -32700…-32600, or an application's -32000…-32099).
    public var code: Int
    /// A short description.
    public var message: String
    /// Structured detail.
    public var data: JSONValue?

    /// Creates an error.
    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// -32700: the text is not JSON.
    public static func parseError(_ detail: String = "Parse error") -> RPCError { RPCError(code: -32700, message: detail) }
    /// -32600: JSON, but not a valid request object.
    public static func invalidRequest(_ detail: String = "Invalid Request") -> RPCError { RPCError(code: -32600, message: detail) }
    /// -32601: no such method.
    public static func methodNotFound(_ method: String) -> RPCError { RPCError(code: -32601, message: "Method not found: \(method)") }
    /// -32602: the method's parameters are wrong.
    public static func invalidParams(_ detail: String) -> RPCError { RPCError(code: -32602, message: "Invalid params: \(detail)") }
    /// -32000 with `data.code` "busy": the server is at a limit and turned the client away
    /// before reading anything (the first code of the range the specification leaves to servers).
    public static func serverBusy(_ detail: String) -> RPCError {
        RPCError(code: -32000, message: "server busy: \(detail)", data: .object(["code": .string("busy")]))
    }
    /// -32603: the server failed.
    public static func internalError(_ detail: String = "Internal error") -> RPCError { RPCError(code: -32603, message: detail) }
}
