/// What the service answers: an HTTP status and a SOAP envelope.
public struct WSManReply: Sendable {
    /// 200 for success, 500 for faults.
    public var status: Int
    /// The envelope text.
    public var body: String

    /// Creates a reply.
    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}
