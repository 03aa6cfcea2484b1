import Foundation

/// Where `virtfedd` listens unless told otherwise, and where the CLI looks: under
/// `/run/virtfed/` for root, under `$XDG_RUNTIME_DIR/virtfed/` for anyone else.
public enum SocketPaths {
    /// The default directory for this user.
    public static var directory: String {
        if geteuid() == 0 { return "/run/virtfed" }
        if let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/virtfed" }
        return "/tmp/virtfed-\(geteuid())"
    }

    /// The system daemon's directory (the packaged `virtfedd`, socket-activated by systemd).
    public static let systemDirectory = "/run/virtfed"

    /// The read-write socket.
    public static var readWrite: String { directory + "/virtfed.sock" }
    /// The read-only socket.
    public static var readOnly: String { directory + "/virtfed-ro.sock" }

    /// Where a client looks: this user's own daemon when its socket exists, else the system
    /// daemon's (reached by members of the `virtfed` group, or read-only by anyone).
    public static func client(readOnly: Bool) -> String {
        let name = readOnly ? "/virtfed-ro.sock" : "/virtfed.sock"
        let own = directory + name
        if directory != systemDirectory && !FileManager.default.fileExists(atPath: own)
            && FileManager.default.fileExists(atPath: systemDirectory + name) {
            return systemDirectory + name
        }
        return own
    }
}
