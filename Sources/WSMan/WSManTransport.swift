/// An HTTP answer to one posted envelope.
public struct WSManHTTPResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// The body, unparsed.
    public var body: [UInt8]

    /// Creates an answer.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// Creates an answer from text.
    public init(status: Int, body: String) {
        self.init(status: status, body: Array(body.utf8))
    }
}

/// Carries envelopes to one WS-Management endpoint and brings back the HTTP answer, whatever
/// its status. Failures before an answer arrives are `unavailable`, `timeout`, `tls` or `tooLarge`.
public protocol WSManTransport: Sendable {
    /// POSTs one envelope and returns the answer. An envelope that is not `repeatable` (it
    /// changes something) must reach the endpoint at most once: no transparent resend.
    func post(_ envelope: [UInt8], repeatable: Bool) async throws(WSManError) -> WSManHTTPResponse
}
