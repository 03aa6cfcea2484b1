import Foundation

/// A `virtfedd` with its libvirt-protocol sockets, and unmodified `virsh` pointed at them.
final class LibvirtFacadeDaemon {
    let daemon: Daemon
    var socket: String { daemon.directory.appendingPathComponent("libvirt.sock").path }
    var readonlySocket: String { daemon.directory.appendingPathComponent("libvirt-ro.sock").path }

    init(backends: [(name: String, uri: String, extra: String)], daemonExtra: String = "", environment: [String: String] = [:]) throws {
        let directory = try scratchDirectory("vfl")
        daemon = try Daemon(backends: backends, daemonExtra: """
            libvirt_socket = "\(directory.path)/libvirt.sock"
            libvirt_readonly_socket = "\(directory.path)/libvirt-ro.sock"
            \(daemonExtra)
            """, directory: directory, environment: environment)
        var ready = false
        for _ in 0..<500 where !ready {
            ready = (try? LineClient(path: socket)) != nil && (try? LineClient(path: readonlySocket)) != nil
            if !ready { usleep(10_000) }
        }
        guard ready else { throw FleetError(message: "the libvirt sockets did not appear:\n\(daemon.log)") }
    }

    /// The URI a libvirt client uses: the federation's own scheme by default (libvirt's remote
    /// driver forwards any `DRIVER+unix` URI); the older `test+unix:///default` form works too.
    func uri(readOnly: Bool = false, driver: String = "virtfed", path: String = "/system") -> String {
        "\(driver)+unix://\(path)?socket=\(readOnly ? readonlySocket : socket)"
    }

    /// Runs Debian's `virsh` against the facade.
    func virsh(_ arguments: String..., readOnly: Bool = false, timeout: Double = 60) throws -> CommandResult {
        try runCommand("/usr/bin/virsh", ["-q", "-c", uri(readOnly: readOnly)] + arguments,
                       environment: ["LIBVIRT_DEFAULT_URI": "", "HOME": daemon.directory.path], timeout: timeout)
    }
}
