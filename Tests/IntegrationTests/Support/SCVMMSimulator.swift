import Foundation

/// A real `virtfed-sim scvmm` process (the WinRM cmd shell running the VMM cmdlets) on an
/// ephemeral loopback port, logging at debug level (shells created, commands, faults), killed
/// when released.
final class SimulatedSCVMM {
    let process: SimulatorProcess
    static let user = "vmm-admin"
    let password = "pw-\(UUID().uuidString.prefix(8))"
    static let demo = Paths.root.appendingPathComponent("config/scvmm-demo.json").path
    static let capture = Paths.root.appendingPathComponent("Tests/Fixtures/scvmm/get_inventory_output.json").path

    init(inventory: String = SimulatedSCVMM.demo, extra: [String] = []) throws {
        process = try SimulatorProcess(["scvmm", "--listen", "127.0.0.1:0", "--user", Self.user, "--password", password,
                                        "--inventory", inventory, "--job-ms", "150", "--log-level", "debug"] + extra, tag: "vmmsim")
    }

    var port: Int { process.port }
    var log: String { process.log }
    func stop() { process.stop() }

    /// The ids of the shells the simulator created, in order.
    var shellsCreated: [String] {
        log.split(separator: "\n").filter { $0.contains("shell created") }.compactMap { line in
            line.firstMatch(of: /shell=([0-9A-Fa-f-]+)/).map { String($0.1) }
        }
    }

    /// The shell each command ran in, in order.
    var commandShells: [String] {
        log.split(separator: "\n").filter { $0.hasSuffix("] command") }.compactMap { line in
            line.firstMatch(of: /shell=([0-9A-Fa-f-]+)/).map { String($0.1) }
        }
    }

    /// The `[[backends]]` extra lines and environment that reach this simulator.
    var backendExtra: String { "username = \"\(Self.user)\"\npassword_env = \"VF_VMM_PASSWORD\"" }
    var environment: [String: String] { ["VF_VMM_PASSWORD": password] }
    func uri(_ parameters: String = "") -> String { "scvmm://127.0.0.1:\(port)/?transport=http&auth=basic&job_poll_ms=30" + parameters }
}
