/// The programs this server speaks.
public enum RemoteProgram {
    /// `REMOTE_PROGRAM`.
    public static let remote: UInt32 = 0x2000_8086
    /// `REMOTE_PROTOCOL_VERSION`.
    public static let remoteVersion: UInt32 = 1
    /// `KEEPALIVE_PROGRAM` ("keep").
    public static let keepalive: UInt32 = 0x6b65_6570
    /// `KEEPALIVE_PROTOCOL_VERSION`.
    public static let keepaliveVersion: UInt32 = 1
    /// `KEEPALIVE_PROC_PING`.
    public static let ping: Int32 = 1
    /// `KEEPALIVE_PROC_PONG`.
    public static let pong: Int32 = 2
}
