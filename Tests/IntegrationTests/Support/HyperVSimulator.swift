import Foundation

/// A real `virtfed-sim hyperv` process on an ephemeral loopback port, killed when released.
final class SimulatedHyperV {
    let pid: pid_t
    let port: Int
    let directory: URL
    static let user = "fed-admin"
    let password = "pw-\(UUID().uuidString.prefix(8))"

    init(inventory: String? = Paths.root.appendingPathComponent("config/hv01.json").path, extra: [String] = [], port: Int = 0) throws {
        directory = try scratchDirectory("hvsim")
        var arguments = ["hyperv", "--listen", "127.0.0.1:\(port)", "--user", Self.user, "--password", password, "--job-ms", "100"]
        if let inventory { arguments += ["--inventory", inventory] }
        let out = directory.appendingPathComponent("out").path
        pid = try spawn(Paths.binDirectory + "/virtfed-sim", arguments + extra, environment: ProcessInfo.processInfo.environment,
                        stdout: out, stderr: directory.appendingPathComponent("err").path)
        var found = 0
        for _ in 0..<500 where found == 0 {
            if let text = try? String(contentsOfFile: out, encoding: .utf8), let range = text.range(of: "127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix(while: \.isNumber)) ?? 0
            }
            if found == 0 { usleep(10_000) }
        }
        guard found != 0 else { throw FleetError(message: "virtfed-sim did not start") }
        self.port = found
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// The `[[backends]]` extra lines and environment that reach this simulator.
    var backendExtra: String { "username = \"\(Self.user)\"\npassword_env = \"VF_HV_PASSWORD\"" }
    var environment: [String: String] { ["VF_HV_PASSWORD": password] }
    var uri: String { "hyperv://127.0.0.1:\(port)/?transport=http&auth=basic" }
}
