import Foundation
import Synchronization

/// Test-driver-only libvirtd instances on loopback and Unix sockets
/// (`scripts/libvirtd-fleet`), stopped when the fleet goes away.
final class LibvirtdFleet {
    let directory: URL
    let count: Int
    let unixURIs: [String]
    let tcpURIs: [String]

    private static let nextBase = Mutex(20000 + Int(getpid() % 200) * 50)

    init(instances: Int, domains: Int = 10) throws {
        directory = try scratchDirectory("fleet")
        count = instances
        var attempt = 0
        while true {
            let base = Self.nextBase.withLock { value -> Int in
                defer { value = value >= 39000 ? 20000 : value + 10 }
                return value
            }
            let result = try runCommand(Paths.fleetScript, ["start", directory.path, "\(instances)", "--domains", "\(domains)", "--tcp-base", "\(base)"])
            if result.status == 0 { break }
            attempt += 1
            if attempt >= 5 { throw FleetError(message: "fleet did not start: \(result)") }
        }
        unixURIs = try String(contentsOf: directory.appendingPathComponent("uris-unix"), encoding: .utf8).split(separator: "\n").map(String.init)
        tcpURIs = try String(contentsOf: directory.appendingPathComponent("uris-tcp"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    deinit {
        _ = try? runCommand(Paths.fleetScript, ["stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    /// The URI of the shared default host of instance `index` (1-based), over its Unix socket.
    func defaultURI(_ index: Int) -> String {
        "test+unix:///default?socket=\(directory.path)/d\(index)/run/libvirt-sock"
    }

    /// Kills instance `index` at once (SIGKILL), as a crash would.
    func kill(_ index: Int) throws {
        let pid = try String(contentsOf: directory.appendingPathComponent("d\(index)/pid"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int32(pid) else { throw FleetError(message: "no pid for d\(index)") }
        Foundation.kill(value, SIGKILL)
        for _ in 0..<200 where Foundation.kill(value, 0) == 0 { usleep(10_000) }
        try? FileManager.default.removeItem(atPath: directory.appendingPathComponent("d\(index)/run/libvirt-sock").path)
    }

    /// Starts instance `index` again with its own configuration, and waits for its socket.
    func restart(_ index: Int) throws {
        let instance = directory.appendingPathComponent("d\(index)")
        var env = ProcessInfo.processInfo.environment
        env["LIBVIRT_DRIVER_DIR"] = directory.appendingPathComponent("drivers").path
        let pid = try spawn("/usr/bin/setsid", [
            "libvirtd", "--listen", "-f", instance.appendingPathComponent("libvirtd.conf").path,
            "-p", instance.appendingPathComponent("libvirtd.pid").path,
        ], environment: env, stdout: "/dev/null", stderr: instance.appendingPathComponent("stderr.log").path)
        try "\(pid)\n".write(to: instance.appendingPathComponent("pid"), atomically: true, encoding: .utf8)
        let socket = instance.appendingPathComponent("run/libvirt-sock").path
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: socket) { usleep(10_000) }
        guard FileManager.default.fileExists(atPath: socket) else { throw FleetError(message: "d\(index) did not come back") }
    }
}

struct FleetError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
