/// `virNetMessageType`.
public enum MessageType: Int32, Sendable {
    /// A call, answered by one reply.
    case call = 0
    /// The answer to a call.
    case reply = 1
    /// An asynchronous message (events, keepalive).
    case message = 2
    /// Stream data.
    case stream = 3
    /// A call passing file descriptors.
    case callWithFDs = 4
    /// A reply passing file descriptors.
    case replyWithFDs = 5
    /// A hole in a sparse stream.
    case streamHole = 6
}
