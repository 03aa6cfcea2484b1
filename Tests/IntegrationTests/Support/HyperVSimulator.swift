import Foundation

/// A real `virtfed-sim hyperv` process on an ephemeral loopback port, killed when released.
final class SimulatedHyperV {
    let pid: pid_t
    let port: Int
    let directory: URL
    /// The loopback address it listens on (a second "host" listens on 127.0.0.2).
    let address: String
    static let user = "fed-admin"
    let password: String

    /// The leniencies a Windows listener has off by default, which virtfed's client needs until
    /// it encrypts WinRM messages (issue 13): Basic, and SOAP in the clear over http.
    static let leniencies = ["--allow-basic", "--allow-unencrypted"]

    /// `port` 0 takes a free one; a restart passes the previous port and password. `strict`
    /// leaves the listener as Windows ships it.
    init(inventory: String? = Paths.root.appendingPathComponent("config/hv01.json").path, extra: [String] = [], port: Int = 0,
         password: String? = nil, strict: Bool = false, address: String = "127.0.0.1") throws {
        self.address = address
        self.password = password ?? "pw-\(UUID().uuidString.prefix(8))"
        directory = try scratchDirectory("hvsim")
        var arguments = ["hyperv", "--listen", "\(address):\(port)", "--user", Self.user, "--password", self.password, "--job-ms", "100"]
        if let inventory { arguments += ["--inventory", inventory] }
        if !strict { arguments += Self.leniencies }
        (pid, self.port) = try spawnListening(Paths.simulator(), arguments + extra, directory: directory)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func stop() { killAndReap(pid) }

    /// What the simulator wrote to stderr (its log: one `invoke` line per method it ran).
    var log: String { (try? String(contentsOfFile: directory.appendingPathComponent("err").path, encoding: .utf8)) ?? "" }

    /// The changes invoked on it, in order (`RequestStateChange`, `InitiateShutdown` …): every
    /// method but `GetSummaryInformation`, which the listings call to read the VMs' load.
    var invocations: [String] {
        log.split(separator: "\n").filter { $0.hasSuffix(" invoke") || $0.contains("] invoke") }.compactMap { line in
            line.firstMatch(of: /method=([A-Za-z]+)/).map { String($0.1) }
        }.filter { $0 != "GetSummaryInformation" }
    }

    /// The `[[backends]]` extra lines and environment that reach this simulator.
    var backendExtra: String { "username = \"\(Self.user)\"\npassword_env = \"VF_HV_PASSWORD\"" }
    var environment: [String: String] { ["VF_HV_PASSWORD": password] }
    var uri: String { "hyperv://\(address):\(port)/?transport=http&auth=basic" }
}
