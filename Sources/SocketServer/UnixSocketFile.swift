import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A server's socket file and its life: a stale file is replaced only when nothing answers on
/// it (a live one is never stolen), the mode and group are set before any client can see it,
/// and the file goes at shutdown.
public struct UnixSocketFile: Sendable {
    /// The socket's path.
    public var path: String
    /// The file's mode.
    public var mode: UInt32
    /// The file's group, when set.
    public var group: UInt32?

    /// Describes a socket file; nothing is created until `listen`.
    public init(path: String, mode: UInt32, group: UInt32?) {
        self.path = path
        self.mode = mode
        self.group = group
    }

    /// Binds `bootstrap` here: the directory is made, a stale socket replaced (a live one
    /// refused), the socket bound under a staging name and moved into place only once its mode
    /// and group are set, so no client ever sees it with other permissions.
    public func listen(_ bootstrap: ServerBootstrap) async throws -> any Channel {
        try Self.prepare(path)
        let staging = Self.stagingPath(path)
        let server = try await bootstrap.bind(unixDomainSocketPath: staging).get()
        do {
            try Self.publish(staging, as: path, mode: mode, group: group)
        } catch {
            try? await server.close()
            throw error
        }
        return server
    }

    /// Removes the socket file (at shutdown).
    public func remove() {
        unlink(path)
    }

    /// Why a socket path cannot be used.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What is wrong, naming the path.
        public var description: String

        /// Creates a failure.
        public init(description: String) {
            self.description = description
        }
    }

    /// The name a server binds under before `publish` moves the socket into place (removed
    /// first if a previous run left it).
    private static func stagingPath(_ path: String) -> String {
        let staging = path + ".\(getpid()).binding"
        unlink(staging)
        return staging
    }

    /// Gives the bound staging socket its mode and group, then renames it to `path`: no client
    /// ever sees the socket with other permissions. The staging file is removed on failure.
    private static func publish(_ staging: String, as path: String, mode: UInt32, group: UInt32?) throws(Failure) {
        do {
            try setAccess(staging, mode: mode, group: group)
        } catch {
            unlink(staging)
            throw error
        }
        guard rename(staging, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(staging)
            throw Failure(description: "cannot move the socket into place at \(path): \(reason)")
        }
    }

    /// Makes `path` ready to bind: creates the directory, removes a stale socket, refuses a live one.
    private static func prepare(_ path: String) throws(Failure) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !directory.isEmpty { try makeDirectories(directory) }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw Failure(description: "\(path) exists and is not a socket")
        }
        if isAnswering(path) {
            throw Failure(description: "another process is listening on \(path); not replacing a live socket")
        }
        unlink(path)
    }

    /// Whether something accepts connections on the socket.
    private static func isAnswering(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Sets the socket file's mode and, when given, its group.
    private static func setAccess(_ path: String, mode: UInt32, group: UInt32?) throws(Failure) {
        if let group, chown(path, uid_t.max, group) != 0 {
            throw Failure(description: "cannot set the group of \(path): \(String(cString: strerror(errno)))")
        }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw Failure(description: "cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
    }

    private static func makeDirectories(_ directory: String) throws(Failure) {
        var path = ""
        for component in directory.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
