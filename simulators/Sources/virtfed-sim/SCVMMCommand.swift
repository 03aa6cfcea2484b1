import ArgumentParser
import Logging
import Simulators
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `virtfed-sim scvmm`: serves a VMM management server (the WinRM cmd shell running the VMM cmdlets) on loopback.
struct SCVMMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scvmm",
        abstract: "Simulate an SCVMM server: the WinRM cmd shell (/wsman over http or https, a default Windows listener's auth and encryption) running the VMM cmdlets.",
        discussion: "Prints 'listening on HOST:PORT' on stdout when ready; stops on SIGINT or SIGTERM."
    )

    @Option(help: "Inventory JSON in the shape of real SCVMM output ({ems, hosts, vms}; see Sources/Simulators/README.md).")
    var inventory: String?

    @Option(help: "Instead of --inventory, generate N VMs (for benchmarks).")
    var generate: Int?

    @Option(help: "With --generate: the number of hosts.")
    var hosts: Int = 10

    @Option(name: .customLong("server-name"), help: "The VMM server's FQDN when the inventory's ems has none.")
    var serverName: String = "vmm.lab.local"

    @Option(name: .customLong("job-ms"), help: "How long a VMM job runs, in milliseconds.")
    var jobMilliseconds: Int = 200

    @Option(name: .customLong("fail-jobs"), help: "Fraction of VMM jobs that end Failed (0…1).")
    var failJobs: Double = 0

    @Option(name: .customLong("deny"), help: ArgumentHelp("Actions on this VM fail with access denied (1603); repeatable.", valueName: "vm-name"))
    var denied: [String] = []

    @Option(name: .customLong("host-file"), help: ArgumentHelp("A disk image on a host that New-SCVirtualDiskDrive -UseLocalVirtualHardDisk can attach; repeatable.",
                                                        valueName: "host=path"))
    var hostFiles: [String] = []

    @Option(name: .customLong("command-ms"), help: "Every shell command completes this many milliseconds after it starts.")
    var commandMilliseconds: Int = 0

    @Option(name: .customLong("max-shells"), help: "Open WinRM shells allowed at once (then the w:QuotaLimit fault).")
    var maxShells: Int = 30

    @Option(name: .customLong("shell-idle-ms"), help: "Shells unused this long are closed.")
    var shellIdleMilliseconds: Int = 900_000

    @Flag(name: .customLong("module-progress"), help: "Scripts that import a module also write the 'Preparing modules for first use.' progress record (CLIXML) to stderr, as real servers often do.")
    var moduleProgress = false

    @OptionGroup var server: SimulatorServerOptions

    func validate() throws {
        guard (inventory == nil) != (generate == nil) else { throw ValidationError("give exactly one of --inventory or --generate") }
        guard jobMilliseconds >= 0, commandMilliseconds >= 0 else { throw ValidationError("--job-ms and --command-ms must not be negative") }
        guard (0...1).contains(failJobs) else { throw ValidationError("--fail-jobs must be between 0 and 1") }
        guard hostFiles.allSatisfy({ $0.split(separator: "=", maxSplits: 1).count == 2 }) else { throw ValidationError("--host-file takes host=path") }
        guard maxShells > 0, shellIdleMilliseconds > 0, hosts > 0 else { throw ValidationError("--max-shells, --shell-idle-ms and --hosts must be positive") }
    }

    func run() async throws {
        server.bootstrapLogging()
        let logger = Logger(label: "virtfed.sim.scvmm")
        let served: SCVMMInventory
        if let inventory {
            do { served = try SCVMMInventory.load(path: inventory, defaultServerName: serverName) } catch { throw ValidationError(error.message) }
        } else {
            served = SCVMMInventory.generated(vmCount: generate ?? 0, hostCount: hosts, serverName: serverName)
        }
        var files: [String: [String]] = [:]
        for entry in hostFiles {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            files[parts[0], default: []].append(parts[1])
        }
        let model = SCVMMModel(inventory: served, jobDuration: .milliseconds(jobMilliseconds), failJobFraction: failJobs, deniedVMNames: denied,
                               hostFiles: files)
        let shell = WinRMShellConfiguration(maxShells: maxShells, idleTimeout: .milliseconds(shellIdleMilliseconds),
                                            commandDelay: .milliseconds(commandMilliseconds))
        let simulator = SCVMMSimulator(model: model, configuration: try server.serverConfiguration(),
                                       shellConfiguration: shell, moduleProgress: moduleProgress, logger: logger)
        let port = try await simulator.start(host: server.listen.host, port: server.listen.port)
        logger.info("serving", metadata: ["server": "\(served.serverName)", "hosts": "\(served.hosts.count)", "vms": "\(served.virtualMachines.count)"])
        print("listening on \(ListenAddress(host: server.listen.host, port: port))")
        fflush(nil)
        let signal = await SignalWaiter.wait()
        logger.notice("stopping", metadata: ["signal": "\(signal)"])
        await simulator.stop()
    }
}
