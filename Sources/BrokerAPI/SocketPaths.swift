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

    /// The read-write socket.
    public static var readWrite: String { directory + "/virtfed.sock" }
    /// The read-only socket.
    public static var readOnly: String { directory + "/virtfed-ro.sock" }
}
