import ArgumentParser
import Logging
import Simulators
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `virtfed-sim hyperv`: serves a Hyper-V host (WMI v2 over WS-Management) on loopback.
struct HyperVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hyperv",
        abstract: "Simulate a Hyper-V host: WMI v2 over WS-Management (/wsman over http or https, a default Windows listener's auth and encryption).",
        discussion: "Prints 'listening on HOST:PORT' on stdout when ready; stops on SIGINT or SIGTERM."
    )

    @Option(help: "Inventory JSON (see Sources/Simulators/README.md).")
    var inventory: String?

    @Option(help: "Instead of --inventory, generate N VMs (for benchmarks).")
    var generate: Int?

    @Option(name: .customLong("host-name"), help: "With --generate: the host's name; VM GUIDs derive from it.")
    var hostName: String = "hv-bench"

    @Flag(name: .customLong("fail-jobs"), help: "Every state-change job fails (JobState 10, ErrorDescription).")
    var failJobs = false

    @Option(name: .customLong("job-ms"), help: "How long a state-change job runs, in milliseconds.")
    var jobMilliseconds: Int = 200

    @Option(name: .customLong("migration-peer"),
            help: "NAME=127.0.0.1:PORT: another simulated host VMs can migrate to (MigrateVirtualSystemToHost's DestinationHost NAME). Repeatable; loopback only.")
    var migrationPeers: [String] = []

    @OptionGroup var server: SimulatorServerOptions

    func validate() throws {
        guard (inventory == nil) != (generate == nil) else { throw ValidationError("give exactly one of --inventory or --generate") }
        guard jobMilliseconds >= 0 else { throw ValidationError("--job-ms must not be negative") }
        for peer in migrationPeers where MigrationPeer(argument: peer) == nil {
            throw ValidationError("--migration-peer '\(peer)' is not NAME=HOST:PORT with a loopback HOST")
        }
    }

    func run() async throws {
        server.bootstrapLogging()
        let logger = Logger(label: "virtfed.sim.hyperv")
        let hostInventory: HyperVInventory
        if let inventory {
            do { hostInventory = try HyperVInventory.load(path: inventory) } catch { throw ValidationError(error.message) }
        } else {
            hostInventory = HyperVInventory.generated(vmCount: generate ?? 0, hostName: hostName)
        }
        let model = HyperVModel(inventory: hostInventory, jobDuration: .milliseconds(jobMilliseconds), failJobs: failJobs,
                                migrationPeers: migrationPeers.compactMap(MigrationPeer.init(argument:)))
        let simulator = HyperVSimulator(model: model, configuration: try server.serverConfiguration(),
                                        logger: logger)
        let port = try await simulator.start(host: server.listen.host, port: server.listen.port)
        print("listening on \(ListenAddress(host: server.listen.host, port: port))")
        fflush(nil)
        let signal = await SignalWaiter.wait()
        logger.notice("stopping", metadata: ["signal": "\(signal)"])
        await simulator.stop()
    }
}
