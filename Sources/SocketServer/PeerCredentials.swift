import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A Unix-socket peer's process credentials.
public struct PeerCredentials: Sendable, Equatable, Codable {
    /// The peer's process id.
    public var pid: Int32
    /// The peer's user id.
    public var uid: UInt32
    /// The peer's group id.
    public var gid: UInt32

    /// Creates credentials.
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// The credentials of `channel`'s peer (`SO_PEERCRED`); nil when the channel is not a
    /// socket that gives them. Call on the channel's event loop, where the read is immediate.
    public init?(of channel: any Channel) {
        guard let provider = channel as? SocketOptionProvider else { return nil }
        let read: EventLoopFuture<LinuxUcred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        var credentials: LinuxUcred?
        // On the channel's own loop the future is already complete: the callback runs now.
        read.assumeIsolated().whenSuccess { credentials = $0 }
        guard let credentials else { return nil }
        self.init(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
    }
}

/// `struct ucred` as Linux lays it out (`SO_PEERCRED`); Glibc's module does not export it.
private struct LinuxUcred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
