import Foundation

/// A real `virtfed-sim scvmm` process on an ephemeral loopback port, logging at debug level
/// (shells created, commands and the shell each ran in, faults), killed when released.
final class SimulatedSCVMM {
    let pid: pid_t
    let port: Int
    let directory: URL
    let https: Bool
    static let user = "LAB\\fed-admin"
    let password = "pw-\(UUID().uuidString.prefix(8))"
    /// The demo estate (config/scvmm-demo.json) and the real capture (28 VMs on 3 hosts).
    static let demo = Paths.root.appendingPathComponent("config/scvmm-demo.json").path
    static let capture = Paths.root.appendingPathComponent("Tests/Fixtures/scvmm/get_inventory_output.json").path

    /// `strict` leaves the listener as Windows ships it (no Basic, no SOAP in the clear over
    /// http); otherwise both leniencies are on, by name (`SimulatedHyperV.leniencies`).
    init(inventory: String = SimulatedSCVMM.demo, extra: [String] = [], strict: Bool = false) throws {
        directory = try scratchDirectory("scvmmsim")
        https = extra.contains("--tls-cert")
        let arguments = ["scvmm", "--listen", "127.0.0.1:0", "--user", Self.user, "--password", password, "--job-ms", "100",
                         "--inventory", inventory, "--log-level", "debug"] + (strict ? [] : SimulatedHyperV.leniencies)
        (pid, port) = try spawnListening(Paths.simulator(), arguments + extra, directory: directory)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func stop() { killAndReap(pid) }

    /// What the simulator wrote to stderr (its log).
    var log: String { (try? String(contentsOfFile: directory.appendingPathComponent("err").path, encoding: .utf8)) ?? "" }

    var url: String { "\(https ? "https" : "http")://127.0.0.1:\(port)/wsman" }

    /// The ids of the shells the simulator created, in order.
    var shellsCreated: [String] { shellIDs(of: "shell created") }

    /// The shell each command ran in, in order.
    var commandShells: [String] { shellIDs(of: "] command") }

    private func shellIDs(of event: String) -> [String] {
        log.split(separator: "\n").filter { $0.hasSuffix(event) }.compactMap { line in
            line.firstMatch(of: /shell=([0-9A-Fa-f-]+)/).map { String($0.1) }
        }
    }

    /// The `[[backends]]` extra lines and environment that reach this simulator through virtfed.
    var backendExtra: String { "username = '\(Self.user)'\npassword_env = \"VF_VMM_PASSWORD\"" }
    var environment: [String: String] { ["VF_VMM_PASSWORD": password] }
    func uri(_ parameters: String = "") -> String { "scvmm://127.0.0.1:\(port)/?transport=http&auth=basic&job_poll_ms=30" + parameters }
}

/// pywinrm (from the project's venv, `.venv/pywinrm`, made by `make test`) running
/// Tests/IntegrationTests/Peers/winrm_client.py.
enum PyWinRM {
    static let python = Paths.root.appendingPathComponent(".venv/pywinrm/bin/python").path
    static let client = Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/winrm_client.py").path

    /// Runs the client; returns its JSON answer.
    static func run(_ simulator: SimulatedSCVMM, transport: String, password: String? = nil, _ arguments: [String],
                    environment: [String: String] = [:]) throws -> [String: Any] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw FleetError(message: "no pywinrm venv at \(python): run `make test` (or `make pywinrm`) first")
        }
        var env = environment
        env["WINRM_PASSWORD"] = password ?? simulator.password
        let result = try runCommand(python, [client, simulator.url, SimulatedSCVMM.user, transport] + arguments, environment: env, timeout: 60)
        guard result.status == 0, let object = try result.json() as? [String: Any] else {
            throw FleetError(message: "winrm_client.py failed: \(result)")
        }
        return object
    }
}

/// pywinrm's cleaned error text with powershell.exe's 80-column wrapping undone: a wrapped line
/// ends in a space; continuations of `+ CategoryInfo` entries are indented by 3.
func unwrappedErrorText(_ text: String) -> String {
    text.replacingOccurrences(of: " \n   ", with: "").replacingOccurrences(of: " \n", with: " ")
}
