/// `virNetMessageStatus`.
public enum MessageStatus: Int32, Sendable {
    /// Success.
    case ok = 0
    /// A failure; the payload is a `remote_error`.
    case error = 1
    /// More stream data follows.
    case `continue` = 2
}
