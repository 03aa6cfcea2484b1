/// One call as the server hands it to a handler.
public struct RPCRequest: Sendable {
    /// The method's name.
    public var method: String
    /// The parameters: an object, an array, or nil when absent.
    public var params: JSONValue?
    /// The request id; nil for a notification, which gets no answer.
    public var id: JSONValue?

    /// Creates a request.
    public init(method: String, params: JSONValue?, id: JSONValue?) {
        self.method = method
        self.params = params
        self.id = id
    }

    /// Whether the client expects no answer.
    public var isNotification: Bool { id == nil }
}
