import Foundation
import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed dominfo D`: one VM in virsh's `dominfo` layout.
struct DomInfo: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "dominfo", abstract: "Show a VM's details.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let record = try await client.domain(domain)
        if global.json {
            Output.json(record)
            return ExitStatus.success
        }
        func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "unknown" }
        var lines: [(String, String)] = [
            ("Id", record.id.map(String.init) ?? "-"),
            ("Name", record.name),
            ("UUID", record.uuid),
            ("State", record.state.virshWord),
        ]
        if let reason = record.reason { lines.append(("Reason", reason)) }
        lines += [
            ("Backend state", record.backendState),
            ("CPU(s)", "\(record.vcpus)"),
        ]
        if let cpu = record.cpuTimeNs { lines.append(("CPU time", String(format: "%.1fs", Double(cpu) / 1e9))) }
        lines += [
            ("Max memory", "\(record.maxMemoryKiB) KiB"),
            ("Used memory", "\(record.memoryKiB) KiB"),
            ("Persistent", yesNo(record.persistent)),
            ("Autostart", record.autostart.map { $0 ? "enable" : "disable" } ?? "unknown"),
            ("Managed save", yesNo(record.managedSave)),
            ("Backend", record.backend),
            ("Routes", record.routes.joined(separator: ", ")),
            ("Host", record.host),
            ("Platform", record.platform ?? "unknown"),
        ]
        Output.print(lines.map { "\(($0.0 + ":").padding(to: 16))\($0.1)" }.joined(separator: "\n") + "\n")
        return ExitStatus.success
    }
}
