#if canImport(Glibc)
import Glibc
#endif

/// The listening sockets systemd passed at start (socket activation, `sd_listen_fds(3)`):
/// descriptors 3… as `$LISTEN_FDS` counts them, for this process only (`$LISTEN_PID`), named by
/// `$LISTEN_FDNAMES` (a socket unit's `FileDescriptorName=`). Taking them clears the variables,
/// so child processes never believe the sockets are theirs.
public struct ActivatedSockets: Sendable {
    /// One passed socket.
    public struct Socket: Sendable, Equatable {
        /// Its `FileDescriptorName=` (systemd says `unknown` when a unit sets none).
        public var name: String
        /// The descriptor, marked close-on-exec.
        public var descriptor: Int32
    }

    /// The sockets in the order systemd passed them.
    public let sockets: [Socket]

    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    public static let firstDescriptor: Int32 = 3

    /// Takes the sockets passed to this process, if any, and unsets `LISTEN_PID`, `LISTEN_FDS`
    /// and `LISTEN_FDNAMES`. A passed descriptor that is not a listening stream socket is an error.
    public static func take(environment: [String: String]) throws(ActivatedSockets.Failure) -> ActivatedSockets {
        defer { for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) } }
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = environment["LISTEN_FDS"].flatMap(Int32.init), count > 0 else {
            return ActivatedSockets(sockets: [])
        }
        let names = environment["LISTEN_FDNAMES"].map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) } ?? []
        var sockets: [Socket] = []
        for offset in 0..<count {
            let descriptor = firstDescriptor + offset
            let name = Int(offset) < names.count ? names[Int(offset)] : "unknown"
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            guard isListeningStream(descriptor) else { throw Failure(name: name, descriptor: descriptor) }
            sockets.append(Socket(name: name, descriptor: descriptor))
        }
        return ActivatedSockets(sockets: sockets)
    }

    /// Creates a set of sockets (tests, or a daemon not activated: `[]`).
    public init(sockets: [Socket]) {
        self.sockets = sockets
    }

    /// The descriptor passed under `name`, if any.
    public func descriptor(named name: String) -> Int32? {
        sockets.first { $0.name == name }?.descriptor
    }

    private static func isListeningStream(_ descriptor: Int32) -> Bool {
        var type: Int32 = 0, listening: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &length) == 0 else { return false }
        length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 else { return false }
        return type == Int32(SOCK_STREAM.rawValue) && listening != 0
    }

    /// A passed descriptor the daemon cannot serve on.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The socket's name.
        public var name: String
        /// The descriptor.
        public var descriptor: Int32

        public var description: String {
            "socket '\(name)' (descriptor \(descriptor)) passed by systemd is not a listening stream socket"
        }
    }
}
