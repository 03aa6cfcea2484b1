import ArgumentParser
import BrokerAPI
import BrokerCore
import LibvirtVocabulary

/// `virtfed domstats [DOMAIN…]`: VMs' load in virsh's `domstats` layout — `Domain: 'name'`, then
/// one `  field=value` line per figure, libvirt's field names — for VMs of every backend.
struct DomStats: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "domstats", abstract: "Show VMs' statistics (virsh's domstats), every VM or those named.",
        discussion: "Without a group flag every group is shown. Figures come from the daemon's inventory cache (at most --max-age ms old).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "The state and its reason.") var state = false
    @Flag(name: .customLong("cpu-total"), help: "Total CPU time.") var cpuTotal = false
    @Flag(help: "Memory: current, maximum, and what the guest uses where measured.") var balloon = false
    @Flag(help: "vCPU counts.") var vcpu = false
    @Flag(help: "Network interface traffic.") var interface = false
    @Flag(help: "Disk I/O.") var block = false
    @Flag(name: .customLong("list-active"), help: "Only running VMs (when none are named).") var listActive = false

    @Option(name: .customLong("max-age"), help: ArgumentHelp("Accept cached figures at most this many milliseconds old (default 10000).", valueName: "ms"))
    var maxAge: Int?

    @Argument(help: "VMs: backend/name, UUID, or an unambiguous name (default: every VM).")
    var domains: [String] = []

    func validate() throws {
        if let maxAge, maxAge < 0 { throw ValidationError("--max-age must not be negative") }
    }

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let answer = try await client.statistics(DomStats.query(domains: domains, allVMs: !listActive, maxAge: maxAge))
        if global.json {
            Output.json(answer)
            return ExitStatus.warnings(answer.errors)
        }
        var groups: LibvirtStatsFields.Groups = []
        if state { groups.insert(.state) }
        if cpuTotal { groups.insert(.cpuTotal) }
        if balloon { groups.insert(.balloon) }
        if vcpu { groups.insert(.vcpu) }
        if interface { groups.insert(.interface) }
        if block { groups.insert(.block) }
        if groups.isEmpty { groups = .all }
        var text = ""
        for record in answer.domains {
            text += "Domain: '\(record.name)'\n"
            for field in LibvirtStatsFields.fields(state: record.state, reason: record.reason, cpuTimeNs: record.cpuTimeNs, memoryKiB: record.memoryKiB,
                                                   maxMemoryKiB: record.maxMemoryKiB, vcpus: record.vcpus, stats: record.stats, groups: groups) {
                text += "  \(field.name)=\(field.value)\n"
            }
            text += "\n"
        }
        Output.print(text, terminator: "")
        return ExitStatus.warnings(answer.errors)
    }

    /// Named VMs, or every VM (every running one without `allVMs`).
    static func query(domains: [String], allVMs: Bool, maxAge: Int?) -> DomainStatsQuery {
        DomainStatsQuery(filter: DomainFilter(all: allVMs, maxAgeMs: maxAge), domains: domains.isEmpty ? nil : domains)
    }
}
