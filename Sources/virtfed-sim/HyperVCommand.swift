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
        abstract: "Simulate a Hyper-V host: WMI v2 over WS-Management (HTTP, /wsman, Basic auth).",
        discussion: "Prints 'listening on HOST:PORT' on stdout when ready; stops on SIGINT or SIGTERM."
    )

    @Option(help: "Inventory JSON (see Sources/Simulators/README.md).")
    var inventory: String?

    @Option(help: "Instead of --inventory, generate N VMs (for benchmarks).")
    var generate: Int?

    @Option(name: .customLong("host-name"), help: "With --generate: the host's name; VM GUIDs derive from it.")
    var hostName: String = "hv-bench"

    @Option(help: ArgumentHelp("Address to listen on, loopback only (port 0 = ephemeral).", valueName: "host:port"))
    var listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 5985)

    @Option(help: "User that HTTP Basic must present (requires --password).")
    var user: String?

    @Option(help: "Password that HTTP Basic must present.")
    var password: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate (chain): serve https instead of http (with --tls-key).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Flag(name: .customLong("fail-jobs"), help: "Every state-change job fails (JobState 10, ErrorDescription).")
    var failJobs = false

    @Option(name: .customLong("latency-ms"), help: "Latency added to every reply, in milliseconds.")
    var latencyMilliseconds: Int = 0

    @Option(name: .customLong("job-ms"), help: "How long a state-change job runs, in milliseconds.")
    var jobMilliseconds: Int = 200

    @Option(name: .customLong("fail-fraction"), help: "Fraction of requests answered with HTTP 500 (w:InternalError).")
    var failFraction: Double = 0

    @Option(name: .customLong("malformed-fraction"), help: "Fraction of replies with malformed XML.")
    var malformedFraction: Double = 0

    @Option(name: .customLong("truncate-fraction"), help: "Fraction of replies cut off mid-body.")
    var truncateFraction: Double = 0

    @Flag(help: "Never answer any request (connections stay open).")
    var hang = false

    @Option(name: .customLong("hang-fraction"), help: "Fraction of requests never answered.")
    var hangFraction: Double = 0

    @Option(name: .customLong("reset-fraction"), help: "Fraction of requests answered with a TCP reset.")
    var resetFraction: Double = 0

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "notice"

    func validate() throws {
        guard (inventory == nil) != (generate == nil) else { throw ValidationError("give exactly one of --inventory or --generate") }
        guard (user == nil) == (password == nil) else { throw ValidationError("--user and --password go together") }
        guard jobMilliseconds >= 0 else { throw ValidationError("--job-ms must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        do { try faults.validate() } catch { throw ValidationError(error.message) }
    }

    private var faults: SimulatorFaults {
        SimulatorFaults(latencyMilliseconds: latencyMilliseconds, resetFraction: resetFraction, hangFraction: hang ? 1 : hangFraction,
                        failFraction: failFraction, malformedFraction: malformedFraction, truncateFraction: truncateFraction)
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .notice
        SimulatorSetup.bootstrapLogging(level)
        let logger = Logger(label: "virtfed.sim.hyperv")
        let hostInventory: HyperVInventory
        if let inventory {
            do { hostInventory = try HyperVInventory.load(path: inventory) } catch { throw ValidationError(error.message) }
        } else {
            hostInventory = HyperVInventory.generated(vmCount: generate ?? 0, hostName: hostName)
        }
        let model = HyperVModel(inventory: hostInventory, jobDuration: .milliseconds(jobMilliseconds), failJobs: failJobs)
        let credentials = user.flatMap { user in password.map { BasicCredentials(user: user, password: $0) } }
        let tls = try SimulatorSetup.tls(certificate: tlsCert, key: tlsKey)
        let simulator = HyperVSimulator(model: model, configuration: HyperVSimulatorConfiguration(credentials: credentials, faults: faults, tls: tls),
                                        logger: logger)
        let port = try await simulator.start(host: listen.host, port: listen.port)
        print("listening on \(ListenAddress(host: listen.host, port: port))")
        fflush(nil)
        let signal = await SignalWaiter.wait()
        logger.notice("stopping", metadata: ["signal": "\(signal)"])
        await simulator.stop()
    }
}
