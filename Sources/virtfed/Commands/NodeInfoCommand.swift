import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed nodeinfo [BACKEND]`: a host's hardware in virsh's layout.
struct NodeInfoCommand: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "nodeinfo", abstract: "Show a backend host's hardware.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The backend (default: the first configured).")
    var backend: String?

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let result = try await client.nodeInfo(backend: backend)
        if global.json {
            Output.json(result)
            return ExitStatus.success
        }
        let node = result.node
        let lines: [(String, String)] = [
            ("Backend", result.backend),
            ("Hostname", node.hostname),
            ("Hypervisor", [node.hypervisor, node.hypervisorVersion].compactMap { $0 }.joined(separator: " ")),
            ("CPU model", node.cpuModel),
            ("CPU(s)", "\(node.cpus)"),
            ("CPU frequency", "\(node.mhz) MHz"),
            ("CPU socket(s)", "\(node.sockets)"),
            ("Core(s) per socket", "\(node.coresPerSocket)"),
            ("Thread(s) per core", "\(node.threadsPerCore)"),
            ("NUMA cell(s)", "\(node.numaCells)"),
            ("Memory size", "\(node.memoryKiB) KiB"),
        ]
        Output.print(lines.map { "\(($0.0 + ":").padding(to: 21))\($0.1)" }.joined(separator: "\n") + "\n")
        return ExitStatus.success
    }
}
