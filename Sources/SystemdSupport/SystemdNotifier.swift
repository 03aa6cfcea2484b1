#if canImport(Glibc)
import Glibc
#endif

/// Tells the service manager how the daemon is doing, the `sd_notify(3)` protocol without
/// libsystemd: one datagram of `KEY=VALUE` lines to the socket named by `$NOTIFY_SOCKET`
/// (a path, or `@name` in the abstract namespace). A unit with `Type=notify` is started once
/// `READY=1` arrives; `RELOADING=1` and `STOPPING=1` show in `systemctl status`.
public struct SystemdNotifier: Sendable {
    /// The notification socket's address as `$NOTIFY_SOCKET` gave it.
    public let socketPath: String

    /// The notifier for this process, or nil when no service manager is listening (not started
    /// by systemd, or `$NOTIFY_SOCKET` is not a Unix socket address).
    public init?(environment: [String: String]) {
        guard let path = environment["NOTIFY_SOCKET"], path.hasPrefix("/") || path.hasPrefix("@"),
              path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else { return nil }
        socketPath = path
    }

    /// `READY=1`: start-up is over (the sockets listen); `status` shows in `systemctl status`.
    public func ready(status: String) throws(SystemdNotifier.Failure) {
        try send(["READY=1", "STATUS=\(status)"])
    }

    /// `RELOADING=1` with the monotonic clock: a configuration reload has begun; `ready` ends it.
    public func reloading() throws(SystemdNotifier.Failure) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        try send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)", "STATUS=reloading the configuration"])
    }

    /// `STOPPING=1`: a graceful shutdown has begun.
    public func stopping() throws(SystemdNotifier.Failure) {
        try send(["STOPPING=1", "STATUS=stopping"])
    }

    /// Sends one notification: the lines joined by newlines, in one datagram.
    public func send(_ lines: [String]) throws(SystemdNotifier.Failure) {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(operation: "socket", errno: errno) }
        defer { close(descriptor) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // the abstract namespace
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count)
        let message = Array(lines.joined(separator: "\n").utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                sendto(descriptor, message, message.count, Int32(MSG_NOSIGNAL), sockaddr, length)
            }
        }
        guard sent == message.count else { throw Failure(operation: "sendto \(socketPath)", errno: errno) }
    }

    /// A notification that could not be sent.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The call that failed.
        public var operation: String
        /// Its `errno`.
        public var errno: Int32

        public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
    }
}
